/**
 * Conversations of the demo mailbox: client projects, an invoice, internal
 * planning, support. Each reply quotes the previous message in its
 * sender's client style, so the full bodies carry real quoted history.
 */
import { csvFile, pdfFile, pngImage, textFile } from './attachments.js';
import type { MessageSpec } from './message-spec.js';

/** Content-ID of the inline mockup image (referenced from the HTML body). */
export const MOCKUP_CONTENT_ID = 'image001.png@01DB8A4C.5E7F2B10';

/** Thread messages in order: every reply comes after the message it quotes. */
export const THREAD_MESSAGES: readonly MessageSpec[] = [
  // Fabrikam Phase 2 scope: four levels of Outlook quoting, then a draft reply.
  {
    key: 'fab-scope-1', thread: 'fab-scope', folder: 'fabrikam', client: 'outlook', at: [12, '09:12'],
    from: 'marcus', to: ['avery'], cc: ['greta', 'jordan'],
    subject: 'Fabrikam data platform – Phase 2 scope', categories: ['Fabrikam'],
    blocks: [
      'Hi Avery,',
      'Thanks again for the Phase 1 close-out last week. Greta and I went through the backlog and would like to propose the following scope for Phase 2:',
      { list: [
        'Customer 360: merge CRM and web-shop customer records into one conformed dimension',
        'Near-real-time sales dashboard for the regional managers (15-minute latency is fine)',
        'SAP S/4 finance extract into the lakehouse',
        'Data quality rules and monitoring for the customer master',
      ] },
      'Could you come back with an estimate and a rough staffing plan by the end of next week? We would like to take it to the steering committee on the first Tuesday of next month.',
      'Best regards,',
    ],
  },
  {
    key: 'fab-scope-2', thread: 'fab-scope', folder: 'sentitems', client: 'outlook', at: [11, '16:40'],
    from: 'avery', to: ['marcus'], cc: ['greta', 'jordan'], replyTo: 'fab-scope-1', quote: 'outlook',
    blocks: [
      'Hi Marcus,',
      'Thanks – this is a clear list. Two questions before we estimate:',
      { list: [
        'Is the SAP extract in scope for the first release, or can it follow in release 2?',
        'Who on your side owns the data quality rules for the customer master?',
      ] },
      'I will have a first estimate to you by Thursday.',
      'Kind regards,',
    ],
  },
  {
    key: 'fab-scope-3', thread: 'fab-scope', folder: 'fabrikam', client: 'outlook', at: [10, '08:05'],
    from: 'greta', to: ['avery', 'marcus'], cc: ['jordan'], replyTo: 'fab-scope-2', quote: 'outlook',
    flag: 'flagged', categories: ['Fabrikam'],
    blocks: [
      'Avery, Marcus,',
      'SAP can follow in release 2. Data quality ownership sits with Ingrid Sørensen’s team in Hamburg; I will introduce you separately.',
      'Please keep Phase 2 at or below EUR 180k – anything above needs board approval, and the next board meeting is not until autumn.',
      'Greta',
    ],
  },
  {
    key: 'fab-scope-4', thread: 'fab-scope', folder: 'fabrikam', client: 'outlook', at: [2, '10:31'],
    from: 'marcus', to: ['avery'], cc: ['greta', 'jordan'], replyTo: 'fab-scope-3', quote: 'outlook',
    unread: true, importance: 'high', categories: ['Fabrikam'],
    blocks: [
      'Hi Avery,',
      'Any update on the estimate? The steering committee pack closes on Friday and I still need your numbers and the staffing plan.',
      'Thanks,',
    ],
  },
  {
    key: 'fab-scope-draft', thread: 'fab-scope', folder: 'drafts', client: 'outlook', at: [1, '19:02'],
    from: 'avery', to: ['marcus'], cc: ['greta', 'jordan'], replyTo: 'fab-scope-4', quote: 'outlook', draft: true,
    blocks: [
      'Hi Marcus,',
      'Apologies for the delay. Our estimate for Phase 2 (release 1, without the SAP extract) is EUR 164k over 14 weeks with a team of four: one lead, two data engineers and a part-time BI developer.',
      'I will send the staffing plan and assumptions tomorrow morning.',
      'Kind regards,',
    ],
  },

  // The demo's scheduling example: Anna proposes Friday 14:00–15:00, which collides with the Customer Y review.
  {
    key: 'anna-1', thread: 'anna-prep', folder: 'sentitems', client: 'outlook', at: [1, '16:20'],
    from: 'avery', to: ['anna'], subject: 'Customer Y renewal – prep session', categories: ['Customer Y'],
    blocks: [
      'Hi Anna,',
      'Before the renewal talks we should spend an hour on the proposal together: pricing options, the change requests and who presents what. When would suit you?',
      'Thanks,',
    ],
  },
  {
    key: 'anna-2', thread: 'anna-prep', folder: 'inbox', client: 'outlook', at: 40,
    from: 'anna', to: ['avery'], replyTo: 'anna-1', quote: 'outlook', unread: true, categories: ['Customer Y'],
    blocks: [
      'Hi Avery,',
      'Good idea. How about Friday 14:00–15:00? I can book the Spree room, and Lukas could join for the data migration part.',
      'Best,',
    ],
  },

  // Invoice: sent with a PDF, acknowledged, paid.
  {
    key: 'invoice-1', thread: 'invoice', folder: 'sentitems', client: 'outlook', at: [20, '11:02'],
    from: 'avery', to: ['fabrikamAp'], cc: ['marcus', 'sofia'],
    subject: 'Invoice INV-2025-0142 – Fabrikam Phase 1 (final milestone)', categories: ['Invoices'],
    attachments: () => [pdfFile('INV-2025-0142.pdf', 'Invoice INV-2025-0142', [
      'Contoso Consulting GmbH, Friedrichstrasse 68, 10117 Berlin',
      'Bill to: Fabrikam, Inc. - Accounts Payable',
      'PO reference: 4500018342',
      '',
      'Phase 1 data platform - final milestone (acceptance signed)     EUR 48,750.00',
      'VAT 19%                                                         EUR  9,262.50',
      'Total due                                                       EUR 58,012.50',
      '',
      'Payment terms: 30 days net. Bank: Woodgrove Bank, IBAN DE02 1001 0010 0123 4567 89',
    ])],
    blocks: [
      'Dear Accounts Payable team,',
      'Please find attached our invoice INV-2025-0142 for the final milestone of Phase 1 (EUR 48,750.00 net, payable within 30 days).',
      'The PO reference is 4500018342. Please let me know if you need anything else to process it.',
      'Kind regards,',
    ],
  },
  {
    key: 'invoice-2', thread: 'invoice', folder: 'fabrikam', client: 'outlook', at: [19, '14:20'],
    from: 'fabrikamAp', to: ['avery'], cc: ['sofia'], replyTo: 'invoice-1', quote: 'outlook', categories: ['Invoices'],
    blocks: [
      'Dear Avery,',
      'Thank you, we confirm receipt of invoice INV-2025-0142. It has been approved and scheduled for the payment run on the 28th.',
      'Kind regards,',
    ],
  },
  {
    key: 'invoice-3', thread: 'invoice', folder: 'inbox', client: 'outlook', at: [3, '09:45'],
    from: 'sofia', to: ['avery'], replyTo: 'invoice-2', quote: 'outlook', unread: true, flag: 'complete', categories: ['Invoices'],
    blocks: [
      'Hi Avery,',
      'Just FYI – the payment for INV-2025-0142 arrived this morning. I have marked it as paid in the PSA, so no further chasing needed.',
      'Sofia',
    ],
  },

  // Northwind cutover: Outlook and "-----Original Message-----" quoting.
  {
    key: 'northwind-1', thread: 'northwind', folder: 'clients', client: 'outlook', at: [16, '17:05'],
    from: 'daniel', to: ['avery', 'tomas'], cc: ['aisha'],
    subject: 'Northwind ERP migration – cutover weekend plan', categories: ['Northwind'],
    blocks: [
      'Hi Avery, hi Tomás,',
      'Here is the cutover plan as agreed in yesterday’s go/no-go:',
      { table: [
        ['When', 'Activity', 'Owner'],
        ['Fri 18:00', 'Freeze AR/AP ledgers, final delta extract', 'Northwind Finance'],
        ['Fri 20:00', 'Load and reconcile opening balances', 'Contoso (Avery)'],
        ['Sat 10:00', 'Switch integrations to the new ERP endpoints', 'Contoso (Tomás)'],
        ['Sun 14:00', 'Business smoke test and sign-off', 'Northwind IT'],
      ] },
      'Please confirm your availability, and the rollback criteria you want written into the runbook.',
      'Cheers,',
    ],
  },
  {
    key: 'northwind-2', thread: 'northwind', folder: 'sentitems', client: 'outlook', at: [15, '08:50'],
    from: 'avery', to: ['daniel', 'tomas'], cc: ['aisha'], replyTo: 'northwind-1', quote: 'outlook',
    blocks: [
      'Hi Daniel,',
      'Confirmed for both of us. Rollback criteria from our side: reconciliation differences above EUR 500 per company code, or any integration failing its smoke test by Sunday 12:00.',
      'Best,',
    ],
  },
  {
    key: 'northwind-3', thread: 'northwind', folder: 'clients', client: 'outlook', at: [15, '13:22'],
    from: 'aisha', to: ['avery', 'daniel'], cc: ['tomas'], replyTo: 'northwind-2', quote: 'original',
    blocks: [
      'Hi all,',
      'From the finance side we need the AR ledger frozen by 18:00 sharp on Friday, otherwise the dunning run will fire. I will be on call all weekend on +49 30 555 0199.',
      'Regards,',
    ],
  },
  {
    key: 'northwind-4', thread: 'northwind', folder: 'clients', client: 'outlook', at: [9, '07:55'],
    from: 'daniel', to: ['avery', 'tomas', 'aisha'], replyTo: 'northwind-3', quote: 'original', categories: ['Northwind'],
    blocks: [
      'All,',
      'Cutover completed on Sunday at 15:40, all smoke tests green. Thank you for a very calm weekend.',
      'Hypercare starts today: a 15-minute check-in every morning at 08:30 for the next two weeks. Invites are out.',
      'Daniel',
    ],
  },

  // Internal staffing plan, now archived.
  {
    key: 'staffing-1', thread: 'staffing', folder: 'archive', client: 'outlook', at: [27, '10:15'],
    from: 'jordan', to: ['avery', 'meilin', 'lukas', 'priya'],
    subject: 'Q3 staffing plan – Data & Analytics', categories: ['Internal'],
    blocks: [
      'Hi team,',
      'I am putting together the Q3 staffing plan. Fabrikam Phase 2 is likely, Tailspin is a 40% maybe, and Northwind hypercare ends in three weeks.',
      'Please send me your planned leave for Q3 and any training you want to book by Friday.',
      'Thanks,',
    ],
  },
  {
    key: 'staffing-2', thread: 'staffing', folder: 'archive', client: 'outlook', at: [27, '11:40'],
    from: 'meilin', to: ['jordan'], cc: ['avery', 'lukas', 'priya'], replyTo: 'staffing-1', quote: 'outlook',
    blocks: ['Hi Jordan,', 'Leave: two weeks in mid-August. Training: the Azure data engineering certification, ideally in July.', 'Mei Lin'],
  },
  {
    key: 'staffing-3', thread: 'staffing', folder: 'sentitems', client: 'outlook', at: [26, '09:05'],
    from: 'avery', to: ['jordan'], cc: ['meilin', 'lukas', 'priya'], replyTo: 'staffing-2', quote: 'outlook',
    blocks: [
      'Hi Jordan,',
      'I am off the first week of July and speaking at Data Summit Europe the week after. If Fabrikam Phase 2 starts in July I would like Mei Lin as the second lead.',
      'Avery',
    ],
  },
  {
    key: 'staffing-4', thread: 'staffing', folder: 'archive', client: 'outlook', at: [25, '15:30'],
    from: 'jordan', to: ['avery', 'meilin', 'lukas', 'priya'], replyTo: 'staffing-3', quote: 'outlook',
    blocks: ['Thanks all – draft plan is in the team site. Priya, can your team cover the Northwind run-book handover in the last two weeks of hypercare?', 'Jordan'],
  },

  // Tailspin RFP: Gmail quoting and a plain-text phone reply.
  {
    key: 'rfp-1', thread: 'rfp', folder: 'inbox', client: 'gmail', at: [8, '10:03'],
    from: 'chloe', to: ['avery'],
    subject: 'Tailspin Toys – RFP 2025-07 clarification questions',
    blocks: [
      'Dear Avery,',
      'Thank you for registering your interest in RFP 2025-07 (analytics platform modernisation). Clarification questions are due by the end of next week; answers will be shared with all bidders.',
      'Please send your questions in a single email, numbered.',
      'Best regards,',
    ],
  },
  {
    key: 'rfp-2', thread: 'rfp', folder: 'sentitems', client: 'outlook', at: [7, '15:12'],
    from: 'avery', to: ['chloe'], cc: ['ravi', 'jordan'], replyTo: 'rfp-1', quote: 'outlook',
    blocks: [
      'Dear Chloé,',
      'Thank you. Our questions:',
      { list: [
        'Q1: Is a phased migration acceptable, or must all 14 data marts move in one release?',
        'Q2: Which BI tool is the target – is the current one in scope for replacement?',
        'Q3: Are the 2,300 report users internal only?',
        'Q4: Is there a preferred cloud region for data residency?',
        'Q5: Will the incumbent vendor support knowledge transfer?',
      ] },
      'Kind regards,',
    ],
  },
  {
    key: 'rfp-3', thread: 'rfp', folder: 'inbox', client: 'text', at: [6, '19:48'],
    from: 'ravi', to: ['avery'], cc: ['chloe', 'jordan'], replyTo: 'rfp-2', quote: 'original', unread: true,
    blocks: [
      'Avery - quick answers on Q3 and Q5 ahead of the formal response:',
      'Q3: about 300 of the users are franchise partners, so external identities are in scope.',
      'Q5: yes, the incumbent is contracted for 20 days of knowledge transfer.',
      'Sent from my phone, excuse typos.',
    ],
  },
  {
    key: 'rfp-4', thread: 'rfp', folder: 'inbox', client: 'gmail', at: [5, '08:30'],
    from: 'chloe', to: ['avery'], cc: ['ravi', 'jordan'], replyTo: 'rfp-3', quote: 'gmail',
    unread: true, flag: 'flagged', importance: 'high',
    blocks: [
      'Dear Avery,',
      'Please note the submission deadline has moved forward by one week. Proposals are now due on the 20th at 12:00 CET. The formal Q&A document follows tomorrow.',
      'Best regards,',
    ],
  },

  // Offsite logistics: several replies, final agenda as a text file.
  {
    key: 'offsite-1', thread: 'offsite', folder: 'inbox', client: 'outlook', at: [14, '12:00'],
    from: 'hannah', to: ['avery', 'meilin', 'lukas', 'jordan', 'tomas'],
    subject: 'Data & Analytics offsite – Lisbon logistics', categories: ['Travel'],
    blocks: [
      'Hi everyone,',
      'The offsite is confirmed: two days in Lisbon, hotel near Cais do Sodré. Please reply with your dietary requirements and whether you need a hotel night before day one.',
      'Flights are booked through Adventure Works Travel as usual.',
      'Hannah',
    ],
  },
  {
    key: 'offsite-2', thread: 'offsite', folder: 'inbox', client: 'outlook', at: [14, '12:41'],
    from: 'lukas', to: ['hannah'], cc: ['avery', 'meilin', 'jordan', 'tomas'], replyTo: 'offsite-1', quote: 'outlook',
    blocks: ['Vegetarian for me, and yes please to the night before.', 'Lukas'],
  },
  {
    key: 'offsite-3', thread: 'offsite', folder: 'sentitems', client: 'outlook', at: [13, '09:10'],
    from: 'avery', to: ['hannah'], replyTo: 'offsite-2', quote: 'outlook',
    blocks: ['Hi Hannah,', 'No dietary requirements. I will arrive the evening before, so one extra night please.', 'Thanks,'],
  },
  {
    key: 'offsite-4', thread: 'offsite', folder: 'inbox', client: 'outlook', at: [4, '16:25'],
    from: 'hannah', to: ['avery', 'meilin', 'lukas', 'jordan', 'tomas'], replyTo: 'offsite-3', quote: 'outlook',
    unread: true, categories: ['Travel'],
    attachments: () => [textFile('Offsite agenda - Lisbon.txt', [
      'DATA & ANALYTICS OFFSITE - LISBON',
      '',
      'Day 1',
      '09:00  Welcome and 2025 retrospective (Jordan)',
      '10:30  Client portfolio review: Fabrikam, Northwind, Tailspin',
      '13:30  Workshop: reusable lakehouse accelerators (Avery, Lukas)',
      '16:00  Walking tour, Alfama',
      '19:30  Team dinner',
      '',
      'Day 2',
      '09:30  Career conversations (Hannah)',
      '11:00  Hack session: data quality monitoring',
      '15:00  Wrap-up and departures',
    ].join('\n'))],
    blocks: ['Hi all,', 'Final agenda attached. Rooms are booked for everyone who asked; the dinner on day one is at 19:30.', 'Hannah'],
  },

  // Expenses: short internal exchange.
  {
    key: 'expense-1', thread: 'expense', folder: 'archive', client: 'outlook', at: [22, '10:30'],
    from: 'sofia', to: ['avery'], subject: 'Expense claim EXP-3318 – missing receipt',
    blocks: ['Hi Avery,', 'Your claim EXP-3318 has a taxi ride on the 14th (EUR 38.40) without a receipt. Could you upload it, or confirm it should be removed?', 'Thanks, Sofia'],
  },
  {
    key: 'expense-2', thread: 'expense', folder: 'sentitems', client: 'outlook', at: [22, '13:05'],
    from: 'avery', to: ['sofia'], replyTo: 'expense-1', quote: 'outlook',
    blocks: ['Hi Sofia,', 'Uploaded just now – it was a paper receipt from the airport rank.', 'Avery'],
  },
  {
    key: 'expense-3', thread: 'expense', folder: 'archive', client: 'outlook', at: [21, '09:12'],
    from: 'sofia', to: ['avery'], replyTo: 'expense-2', quote: 'outlook', flag: 'complete',
    blocks: ['Perfect, approved. It will go out with the next payroll.', 'Sofia'],
  },

  // Pipeline incident: the follow-up carries a CSV log and a text summary.
  {
    key: 'pipeline-1', thread: 'pipeline', folder: 'inbox', client: 'outlook', at: [6, '07:42'],
    from: 'lukas', to: ['avery'], cc: ['tomas'], importance: 'high',
    subject: 'Nightly load failed – fabrikam_sales_fact',
    blocks: [
      'Morning Avery,',
      'The nightly load of fabrikam_sales_fact failed at 02:13 with a schema mismatch: the web-shop export has a new column "voucher_code". Yesterday’s partition is empty, so the sales dashboard shows zero for yesterday.',
      'I can add the column and re-run, or we quarantine the file and ask Fabrikam first. Your call.',
      'Lukas',
    ],
  },
  {
    key: 'pipeline-2', thread: 'pipeline', folder: 'sentitems', client: 'outlook', at: [6, '08:15'],
    from: 'avery', to: ['lukas'], cc: ['tomas'], replyTo: 'pipeline-1', quote: 'outlook',
    blocks: ['Hi Lukas,', 'Add the column as nullable and re-run; I will tell Marcus. Please send me the error log afterwards so we can add a schema-drift check.', 'Thanks!'],
  },
  {
    key: 'pipeline-3', thread: 'pipeline', folder: 'inbox', client: 'outlook', at: [6, '11:58'],
    from: 'lukas', to: ['avery'], cc: ['tomas'], replyTo: 'pipeline-2', quote: 'outlook', unread: true,
    attachments: () => [
      csvFile('load-errors-fabrikam_sales_fact.csv', [
        ['timestamp_utc', 'stage', 'severity', 'message'],
        ['2025-01-01T01:58:02Z', 'extract', 'INFO', 'Downloaded webshop_orders_20250101.parquet (18,442 rows)'],
        ['2025-01-01T02:13:40Z', 'validate', 'ERROR', 'Unexpected column "voucher_code" (string) not in contract v7'],
        ['2025-01-01T02:13:41Z', 'load', 'ERROR', 'Aborted: 0 rows written to fabrikam_sales_fact/2025-01-01'],
        ['2025-01-01T10:41:09Z', 'load', 'INFO', 'Re-run with contract v8: 18,442 rows written'],
      ]),
      textFile('root-cause.txt', 'Root cause: upstream schema change (new nullable column voucher_code) without notice.\nFix: contract v8 adds the column; a schema-drift check now fails fast with a clear message.\nFollow-up: ask Fabrikam for change notifications on exports.'),
    ],
    blocks: ['Re-run done, dashboard is back. Error log and a short root-cause note attached.', 'Lukas'],
  },

  // Design mockups: an inline image (hasAttachments stays false, as in Graph).
  {
    key: 'design-1', thread: 'design', folder: 'inbox', client: 'gmail', at: [9, '14:22'],
    from: 'olivia', to: ['avery'], subject: 'Dashboard mockups v3',
    attachments: () => [pngImage('image001.png', MOCKUP_CONTENT_ID)],
    blocks: [
      'Hi Avery,',
      'Here is v3 of the regional sales dashboard header – new colour scale, and the KPI tiles now follow Fabrikam’s brand palette:',
      { html: `<div><img src="cid:${MOCKUP_CONTENT_ID}" width="480" height="160" alt="Dashboard header mockup v3" style="width: 480px; height: 160px;"></div>`, text: '[Dashboard header mockup v3]' },
      'Let me know what you think before I do the detail pages.',
      'Olivia',
    ],
  },
  {
    key: 'design-2', thread: 'design', folder: 'sentitems', client: 'outlook', at: [8, '09:01'],
    from: 'avery', to: ['olivia'], replyTo: 'design-1', quote: 'outlook',
    blocks: ['Hi Olivia,', 'Looks great. One change: please make the "vs. last year" figures red/green-blind safe (blue/orange works for Greta).', 'Avery'],
  },
  {
    key: 'design-3', thread: 'design', folder: 'inbox', client: 'gmail', at: [7, '20:10'],
    from: 'olivia', to: ['avery'], replyTo: 'design-2', quote: 'gmail', unread: true,
    blocks: ['Good call – updated, and I will carry it through to the detail pages. Invoice for v1–v3 to follow at month end.', 'Olivia'],
  },

  // Conference: an old thread revived recently.
  {
    key: 'summit-1', thread: 'summit', folder: 'archive', client: 'gmail', at: [35, '09:30'],
    from: 'ben', to: ['avery'], subject: 'Data Summit Europe – speaker confirmation',
    blocks: [
      'Hi Avery,',
      'I am delighted to confirm your talk "Lakehouse in the real world: three migrations, three lessons" for Data Summit Europe in London (main stage, day 2, 11:30).',
      'Please confirm by replying to this email, and let us know about any travel support you need.',
      'Best wishes,',
    ],
  },
  {
    key: 'summit-2', thread: 'summit', folder: 'sentitems', client: 'outlook', at: [34, '08:45'],
    from: 'avery', to: ['ben'], replyTo: 'summit-1', quote: 'outlook',
    blocks: ['Hi Ben,', 'Confirmed, thank you! No travel support needed.', 'Best,'],
  },
  {
    key: 'summit-3', thread: 'summit', folder: 'archive', client: 'gmail', at: [33, '17:20'],
    from: 'ben', to: ['avery'], replyTo: 'summit-2', quote: 'gmail', flag: 'flagged',
    blocks: ['Wonderful. Speaker guidelines and the slide template are on the speaker portal.', 'Ben'],
  },
  {
    key: 'summit-4', thread: 'summit', folder: 'inbox', client: 'gmail', at: [3, '11:05'],
    from: 'ben', to: ['avery'], replyTo: 'summit-3', quote: 'gmail', unread: true,
    blocks: ['Hi Avery,', 'Gentle reminder that slides are due two weeks before the event so AV can check them. A PDF is fine.', 'Thanks, Ben'],
  },

  // Tokyo workshop: sent during Tokyo's afternoon, i.e. Berlin's night.
  {
    key: 'tokyo-1', thread: 'tokyo', folder: 'fabrikam', client: 'outlook', at: [18, '07:15'],
    from: 'yuki', to: ['avery'], cc: ['marcus'], subject: 'Tokyo workshop – proposed dates', categories: ['Fabrikam'],
    blocks: [
      'Dear Avery,',
      'For the Phase 2 requirements workshop with the Japan sales team, we could offer two half days. Our afternoons (13:00–17:00 JST) work best, which I understand is early morning for you.',
      'Would a remote session be acceptable, or are you planning to travel?',
      'Kind regards,',
    ],
  },
  {
    key: 'tokyo-2', thread: 'tokyo', folder: 'sentitems', client: 'outlook', at: [17, '09:30'],
    from: 'avery', to: ['yuki'], cc: ['marcus'], replyTo: 'tokyo-1', quote: 'outlook',
    blocks: ['Dear Yuki-san,', 'Remote is fine for the first session; I will send a Teams invite. 16:00–17:00 JST suits me well.', 'Best regards,'],
  },
  {
    key: 'tokyo-3', thread: 'tokyo', folder: 'fabrikam', client: 'outlook', at: [16, '08:05'],
    from: 'yuki', to: ['avery'], cc: ['marcus'], replyTo: 'tokyo-2', quote: 'outlook',
    blocks: ['Thank you, that works. I will prepare the current sales reporting landscape for the session.', 'Yuki'],
  },

  // Service desk: automated replies in the thread, without quotes.
  {
    key: 'access-1', thread: 'access', folder: 'sentitems', client: 'outlook', at: [11, '09:00'],
    from: 'avery', to: ['servicedesk'], subject: 'Access to Fabrikam Azure subscription (fab-dp-prod)',
    blocks: ['Hi,', 'Please grant me Reader access to the Fabrikam subscription fab-dp-prod for the Phase 2 estimate. Approver: Jordan Patel.', 'Thanks,'],
  },
  {
    key: 'access-2', thread: 'access', folder: 'inbox', client: 'automated', at: [11, '09:01'],
    from: 'servicedesk', to: ['avery'], replyTo: 'access-1', quote: 'none', subject: '[INC0048213] Access to Fabrikam Azure subscription (fab-dp-prod)',
    blocks: ['Your request has been logged as INC0048213 and assigned to Cloud Platform Operations.', 'You can follow its progress in the self-service portal. Please do not reply to this message.'],
  },
  {
    key: 'access-3', thread: 'access', folder: 'inbox', client: 'automated', at: [10, '15:30'],
    from: 'servicedesk', to: ['avery'], replyTo: 'access-2', quote: 'none', subject: '[INC0048213] Resolved: Access to Fabrikam Azure subscription (fab-dp-prod)',
    blocks: ['INC0048213 has been resolved: Reader role assigned on fab-dp-prod, approved by Jordan Patel.', 'If the issue persists, reply within 5 days to reopen the ticket.'],
  },
];
