/**
 * The bulk of the mailbox: newsletters, monitoring alerts, reminders,
 * notifications, receipts and status reports, generated from small
 * templates with the seeded PRNG. This is what makes the inbox long enough
 * to page through.
 */
import { pdfFile } from './attachments.js';
import { escapeHtml, newsletterHtml, type Block, type BodyParts } from './bodies.js';
import type { SeedClock } from './clock.js';
import type { MessageSpec } from './message-spec.js';
import { PEOPLE, type PersonKey } from './people.js';
import { createRandom, type Random } from './random.js';

const hhmm = (random: Random, from: number, to: number): string =>
  `${String(random.int(from, to)).padStart(2, '0')}:${String(random.int(0, 59)).padStart(2, '0')}`;

const NEWSLETTER_TOPICS = [
  'Lakehouse table formats compared: what changed this quarter',
  'Five patterns for near-real-time dashboards',
  'Data contracts in practice: a field guide',
  'Why your semantic layer needs an owner',
  'Cost control for cloud data warehouses',
  'Streaming without the pager: operating Kafka calmly',
  'Master data management is back (it never left)',
  'Testing data pipelines like software',
  'Row-level security patterns that scale',
  'The state of open-source orchestration',
  'Incident reviews for data teams',
  'From CSV to contract: onboarding partner data',
  'Choosing a BI tool in 2025',
];

function newsletters(): MessageSpec[] {
  return NEWSLETTER_TOPICS.map((topic, k) => {
    const issue = 212 - k;
    const body = newsletterHtml({
      brand: 'Litware Weekly',
      colour: '#5c2d91',
      heading: topic,
      blocks: [
        `This week in issue #${issue}: ${topic.toLowerCase()}, plus three tools we tried and a reader question on data mesh.`,
        'Read the full article on our website, and reply to this email to tell us what you would like covered next.',
      ],
      footer: `You are receiving this because you subscribed with avery.quinn@contoso.example. <a href="https://litware.example/unsubscribe?u=aq-7731&amp;i=${issue}">Unsubscribe</a> · Litware Media, 1 Example Way, Example City`,
      trackingUrl: `https://t.litware.example/open/${issue}/aq-7731.gif`,
      viewUrl: `https://litware.example/issues/${issue}`,
    });
    return {
      key: `newsletter-${issue}`,
      folder: k >= 11 ? 'deleteditems' : 'inbox',
      client: 'automated',
      at: [2 + 7 * k, '07:00'],
      from: 'litware',
      to: ['avery'],
      subject: `Litware Weekly #${issue}: ${topic}`,
      body,
      unread: k < 4,
    } satisfies MessageSpec;
  });
}

const ALERT_RULES = [
  { metric: 'CPU percentage', unit: '%', threshold: 85, resource: 'fabrikam-etl-vm02' },
  { metric: 'Pipeline run failures', unit: '', threshold: 0, resource: 'adf-fabrikam-prod' },
  { metric: 'Storage used capacity', unit: '%', threshold: 80, resource: 'stfabrikamlake01' },
  { metric: 'Query duration p95', unit: ' s', threshold: 30, resource: 'sqldw-northwind-rpt' },
  { metric: 'Failed sign-ins', unit: '', threshold: 20, resource: 'northwind-erp-gateway' },
  { metric: 'Memory working set', unit: '%', threshold: 90, resource: 'aks-contoso-shared' },
] as const;

function alertBody(kind: 'Alert' | 'Resolved', rule: (typeof ALERT_RULES)[number], value: number, id: string, fired: string): BodyParts {
  const colour = kind === 'Alert' ? '#d13438' : '#107c10';
  const rows: Array<[string, string]> = [
    ['Severity', kind === 'Alert' ? 'Sev 2 – Warning' : 'Resolved'],
    ['Resource', rule.resource],
    ['Metric', rule.metric],
    ['Value', `${value}${rule.unit}`],
    ['Threshold', `> ${rule.threshold}${rule.unit}`],
    ['Fired at', fired],
  ];
  const html =
    `<div style="font-family: Segoe UI, Arial, sans-serif; font-size: 14px;"><div style="background-color: ${colour}; color: #ffffff; padding: 12px 16px; font-size: 18px;">${kind}: ${escapeHtml(rule.metric)} on ${escapeHtml(rule.resource)}</div>` +
    `<table style="margin: 12px 16px; border-collapse: collapse;"><tbody>${rows.map(([k, v]) => `<tr><td style="padding: 4px 12px 4px 0; color: #605e5c;">${escapeHtml(k)}</td><td style="padding: 4px 0;">${escapeHtml(v)}</td></tr>`).join('')}</tbody></table>` +
    `<p style="margin: 12px 16px;"><a href="https://portal.proseware.example/alerts/${id}" style="color: #0078d4;">View alert in the portal</a></p>` +
    '<p style="margin: 12px 16px; font-size: 11px; color: #8a8886;">You are receiving this because you are in the action group "contoso-data-oncall".</p></div>';
  const text = `${kind}: ${rule.metric} on ${rule.resource}\n\n${rows.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\nView alert in the portal: https://portal.proseware.example/alerts/${id}`;
  return { html, text };
}

function alerts(random: Random, clock: SeedClock): MessageSpec[] {
  const out: MessageSpec[] = [];
  for (let i = 0; i < 18; i++) {
    const rule = random.pick(ALERT_RULES);
    const id = `AL-${70412 + i * 7}`;
    const value = rule.threshold + random.int(1, 12);
    // The newest incident fired minutes ago and is still open.
    const daysAgo = i === 0 ? 0 : Math.min(28, 1 + Math.floor(i * 1.6));
    const hour = random.int(0, 21);
    const firedAt = daysAgo === 0 ? 39 : ([daysAgo, `${String(hour).padStart(2, '0')}:${String(random.int(0, 58)).padStart(2, '0')}`] as const);
    const fired = clock.at(firedAt).toISOString().replace('.000Z', 'Z');
    const unread = daysAgo <= 24;
    out.push({
      key: `alert-${i}`, folder: 'inbox', client: 'automated', at: firedAt, from: 'monitor', to: ['avery'],
      subject: `[Alert] Sev 2: ${rule.metric} > ${rule.threshold}${rule.unit} on ${rule.resource}`,
      body: alertBody('Alert', rule, value, id, fired), unread, importance: 'high',
    });
    if (daysAgo === 0) continue;
    out.push({
      key: `alert-${i}-resolved`, folder: 'inbox', client: 'automated', at: [daysAgo, `${String(hour).padStart(2, '0')}:59`], from: 'monitor', to: ['avery'],
      subject: `[Resolved] Sev 2: ${rule.metric} on ${rule.resource}`,
      body: alertBody('Resolved', rule, rule.threshold - random.int(1, 10), id, fired), unread,
    });
  }
  return out;
}

function timesheetReminders(clock: SeedClock): MessageSpec[] {
  return Array.from({ length: 13 }, (_, k) => {
    const daysAgo = 1 + 7 * k;
    const weekEnding = clock.at([daysAgo, '12:00']).toISOString().slice(0, 10);
    return {
      key: `timesheet-${k}`, folder: 'inbox', client: 'automated', at: [daysAgo, '14:00'], from: 'psa', to: ['avery'],
      subject: `Reminder: submit your timesheet for the week ending ${weekEnding}`,
      blocks: [
        'Hello Avery Quinn,',
        `Your timesheet for the week ending ${weekEnding} has not been submitted yet. Submitted hours so far: ${k === 0 ? '24.0' : '40.0'} of 40.0.`,
        'Please submit it in Contoso Time & Billing by Monday 10:00 so that client invoices can go out on time.',
        'This is an automated message.',
      ],
      unread: k < 7,
    } satisfies MessageSpec;
  });
}

const TEAMS_NOTES: ReadonlyArray<readonly [PersonKey, string, string, string]> = [
  ['meilin', 'Fabrikam Delivery', 'General', 'Can you check the effort model before I share it with Marcus?'],
  ['lukas', 'Fabrikam Delivery', 'Pipelines', 'Schema-drift check is merged, running tonight.'],
  ['jordan', 'D&A Leadership', 'Staffing', 'Need your input on the Tailspin bid team by Thursday.'],
  ['tomas', 'Northwind Hypercare', 'General', 'Change board approved the index rebuild for Saturday.'],
  ['priya', 'Northwind Hypercare', 'Run-book', 'Added the month-end close steps, please review.'],
  ['meilin', 'Fabrikam Delivery', 'Workshops', 'Room booked, Teams link added for Yuki.'],
  ['hannah', 'Contoso Berlin', 'Social', 'Who is in for the summer party planning committee?'],
  ['lukas', 'Fabrikam Delivery', 'General', 'Web-shop export has another new column, heads up.'],
  ['jordan', 'D&A Leadership', 'General', 'Practice meeting moved to 16:00.'],
  ['tomas', 'Contoso Architecture', 'Reviews', 'Left comments on the Hamburg network design.'],
];

function teamsNotifications(random: Random): MessageSpec[] {
  return TEAMS_NOTES.map(([who, team, channel, text], k): MessageSpec => ({
    key: `teams-${k}`, folder: 'inbox', client: 'automated',
    at: k === 0 ? 52 : [Math.min(14, k + Math.floor(k / 3)), hhmm(random, 8, 18)],
    from: 'teams', to: ['avery'],
    subject: `${PEOPLE[who].name} mentioned you in ${team} > ${channel}`,
    blocks: [
      { html: `<div style="font-family: Segoe UI, sans-serif; font-size: 14px;"><p style="color: #616161;">${escapeHtml(team)} &gt; ${escapeHtml(channel)}</p><blockquote style="border-left: 3px solid #6264a7; margin: 0; padding: 4px 12px;">@Avery Quinn ${escapeHtml(text)}</blockquote><p><a href="https://teams.example/l/message/19%3Achannel${k}%40thread.tacv2/${1700000000000 + k}" style="background-color: #5b5fc7; color: #ffffff; padding: 6px 12px; text-decoration: none;">Reply in Teams</a></p></div>`, text: `${team} > ${channel}\n\n@Avery Quinn ${text}\n\nReply in Teams` },
    ],
    unread: true,
  }));
}

const ANNOUNCEMENTS: ReadonlyArray<[number, string, readonly Block[]]> = [
  [3, 'Berlin office: heating maintenance on Saturday', ['The Friedrichstraße office is closed on Saturday for heating maintenance. Remote access is unaffected.']],
  [12, 'New travel policy takes effect next month', ['Rail is now the default for trips under five hours. Bookings continue through Adventure Works Travel.', { list: ['Economy class for flights under 6 hours', 'Hotel cap: EUR 180/night in major cities', 'Receipts within 30 days'] }]],
  [26, 'Welcome our new colleagues in Bengaluru', ['Please join us in welcoming Kavya, Rohan and Sneha to the Data & Analytics practice in Bengaluru.']],
  [40, 'Quarterly all-hands: recording and slides', ['The recording and slides from the quarterly all-hands are now on the intranet.']],
  [55, 'Security awareness training due', ['Annual security awareness training is due by the end of the month. It takes about 25 minutes.']],
  [71, 'Contoso wins Partner of the Year (Data & AI)', ['Thank you to everyone whose client work made this possible.']],
];

function announcements(): MessageSpec[] {
  return ANNOUNCEMENTS.map(([daysAgo, subject, blocks], k) => ({
    key: `comms-${k}`, folder: daysAgo > 30 ? 'archive' as const : 'inbox' as const, client: 'automated' as const,
    at: [daysAgo, '11:00'] as const, from: 'comms' as const, to: ['avery' as const], subject, blocks, unread: daysAgo < 7,
    categories: ['Internal'],
  }));
}

const TICKETS: ReadonlyArray<[number, string, string]> = [
  [2, 'INC0048377', 'Laptop docking station not detecting second monitor'],
  [4, 'INC0048301', 'VPN disconnects every 30 minutes'],
  [19, 'INC0047922', 'Request: Power BI Pro licence'],
  [23, 'INC0047810', 'Shared mailbox "fabrikam-project" access'],
  [38, 'INC0047411', 'Password reset for PSA'],
  [47, 'INC0047205', 'New SSH key for build agents'],
];

function tickets(): MessageSpec[] {
  return TICKETS.map(([daysAgo, number, title], k) => ({
    key: `ticket-${number}`, folder: daysAgo > 30 ? 'archive' as const : 'inbox' as const, client: 'automated' as const,
    at: [daysAgo, '10:20'] as const, from: 'servicedesk' as const, to: ['avery' as const],
    subject: `[${number}] ${k % 2 === 0 ? 'Updated' : 'Resolved'}: ${title}`,
    blocks: [
      `Ticket ${number} (${title}) has been ${k % 2 === 0 ? 'updated by the assigned engineer' : 'resolved'}.`,
      k % 2 === 0 ? 'Latest note: "Replacement part ordered, expected delivery in 2 working days."' : 'If the issue persists, reply within 5 days to reopen the ticket.',
      'Contoso IT Service Desk · self-service portal: https://servicedesk.contoso.example',
    ],
    unread: daysAgo < 5,
  }));
}

function receipts(random: Random): MessageSpec[] {
  const out: MessageSpec[] = [];
  const coffee = [4.6, 7.9, 12.4, 3.8, 9.2, 5.5];
  coffee.forEach((amount, k) => out.push({
    key: `receipt-coffee-${k}`, folder: 'receipts', client: 'automated', at: [3 + k * 11, hhmm(random, 8, 10)],
    from: 'fourthcoffee', to: ['avery'], subject: `Your Fourth Coffee receipt – EUR ${amount.toFixed(2)}`,
    blocks: [{ table: [['Item', 'Amount'], [amount > 8 ? 'Team coffee order' : 'Flat white', `EUR ${amount.toFixed(2)}`], ['Total (incl. 7% VAT)', `EUR ${amount.toFixed(2)}`]] }, 'Thank you for visiting Fourth Coffee, Friedrichstraße.'],
    categories: ['Receipts'],
  }));
  const trips: ReadonlyArray<[number, string, string]> = [
    [13, 'BER → LIS', 'ACX4PQ'], [13, 'LIS → BER', 'ACX4PR'], [30, 'BER → HAM (rail)', 'RL8812'], [44, 'BER → LHR', 'BKT2ZM'],
  ];
  trips.forEach(([daysAgo, route, ref], k) => out.push({
    key: `receipt-travel-${k}`, folder: 'receipts', client: 'automated', at: [daysAgo, hhmm(random, 9, 17)],
    from: 'adventure', to: ['avery'], subject: `Booking confirmed: ${route} (ref ${ref})`,
    blocks: [`Your booking ${ref} for ${route} is confirmed. Cost centre: D&A-Berlin. E-ticket attached to your traveller profile.`, 'Adventure Works Travel – corporate travel desk'],
    unread: k === 0, categories: ['Receipts', 'Travel'],
  }));
  for (let k = 0; k < 3; k++) {
    const invoice = `PW-${2025_0300 - k * 100}`;
    const amount = (1840.22 + k * 97.5).toFixed(2);
    out.push({
      key: `receipt-cloud-${k}`, folder: 'receipts', client: 'automated', at: [6 + 30 * k, '06:00'],
      from: 'proseware', to: ['avery'], subject: `Your Proseware Cloud invoice ${invoice} is available`,
      attachments: () => [pdfFile(`${invoice}.pdf`, `Proseware Cloud invoice ${invoice}`, ['Account: Contoso Consulting GmbH (D&A sandbox)', `Amount due: EUR ${amount}`, 'Paid by card ending 4417'])],
      blocks: [`Invoice ${invoice} for EUR ${amount} has been charged to the card ending 4417. The PDF is attached.`],
      categories: ['Receipts'],
    });
  }
  for (let k = 0; k < 3; k++) {
    out.push({
      key: `receipt-bank-${k}`, folder: 'receipts', client: 'text', at: [1 + 30 * k, '05:30'],
      from: 'woodgrove', to: ['avery'], subject: 'Your corporate card statement is ready',
      body: {
        html: '',
        text: `Dear Avery Quinn,\n\nYour statement for the corporate card ending 4417 is ready in online banking.\nNew balance: EUR ${(2311.4 + 410 * k).toFixed(2)}\n\nWoodgrove Bank will never ask for your PIN or password by email.`,
      },
      unread: k === 0, categories: ['Receipts'],
    });
  }
  return out;
}

function statusReports(random: Random): MessageSpec[] {
  return Array.from({ length: 12 }, (_, k) => {
    const week = 12 - k;
    const rag = k === 2 ? 'Amber' : 'Green';
    return {
      key: `status-${week}`, folder: 'sentitems', client: 'outlook', at: [5 + 7 * k, `16:${String(random.int(10, 55))}`],
      from: 'avery', to: ['marcus'], cc: ['greta', 'jordan'], subject: `Fabrikam data platform – weekly status (week ${week})`,
      categories: ['Fabrikam'],
      blocks: [
        'Hi Marcus,',
        `Status for week ${week}: overall ${rag}.`,
        { table: [['Workstream', 'Status', 'Note'], ['Ingestion', 'Green', 'All sources on schedule'], ['Modelling', rag, k === 2 ? 'Customer match rules waiting for sign-off' : 'On track'], ['Reporting', 'Green', `${random.int(3, 9)} of 12 reports accepted`]] },
        'Best regards,',
      ],
    } satisfies MessageSpec;
  });
}

function uatDigests(random: Random): MessageSpec[] {
  return Array.from({ length: 10 }, (_, k) => {
    const open = 31 - k * 3;
    return {
      key: `uat-${k}`, folder: 'archive', client: 'outlook', at: [62 - k * 2, hhmm(random, 17, 18)],
      from: 'marcus', to: ['avery'], cc: ['meilin'], subject: `Phase 1 UAT – defect digest day ${k + 1}`, categories: ['Fabrikam'],
      blocks: [
        'Hi Avery,',
        `UAT day ${k + 1}: ${open} open defects (${Math.max(0, 4 - k)} critical). New today: ${random.int(1, 6)}, closed today: ${random.int(3, 8)}.`,
        k === 9 ? 'UAT is complete – acceptance sign-off follows tomorrow.' : 'Top item remains the regional roll-up totals; see the tracker.',
        'Marcus',
      ],
    } satisfies MessageSpec;
  });
}

/** All generated messages for a clock (subjects mention dates, so they depend on `now`; keys do not). */
export function generatedMessages(clock: SeedClock): MessageSpec[] {
  const random = createRandom('contoso-demo-mailbox');
  return [
    ...newsletters(),
    ...alerts(random, clock),
    ...timesheetReminders(clock),
    ...teamsNotifications(random),
    ...announcements(),
    ...tickets(),
    ...receipts(random),
    ...statusReports(random),
    ...uatDigests(random),
  ];
}
