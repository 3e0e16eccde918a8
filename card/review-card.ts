/**
 * The draft-review card (an MCP App view). The host shows it in a sandboxed
 * iframe when ol_email_create_draft, ol_email_update_draft or
 * ol_email_review_draft runs. It reads the draft through the app-only tool
 * ol_email_card_view (which alone hands out the one-time send approval) and
 * sends through the app-only tool ol_email_card_send: both are reachable from
 * this card, never from the model.
 *
 * Everything shown is text from the server, set through textContent: mail
 * content is untrusted and never becomes markup here.
 */
import { App, applyDocumentTheme, applyHostStyleVariables, type McpUiHostContext } from '@modelcontextprotocol/ext-apps';
import type { CallToolResult } from '@modelcontextprotocol/client';
import { APPROVAL_META, CARD_SEND_TOOL, CARD_VIEW_TOOL, DISCARD_TOOL, type CardRecipient, type CardSendResult, type CardView } from '../src/apps/card-contract.js';

const root = document.getElementById('card') as HTMLElement;
const app = new App({ name: 'mcp-server-outlook draft review', version: '1' }, {}, { autoResize: true });

let draftId: string | undefined;
let view: CardView | undefined;
/** The approval of the version on screen; only this card ever holds it. */
let approval: string | undefined;
let busy = false;

/** Creates an element with text content only (never HTML). */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function applyContext(ctx: McpUiHostContext | undefined): void {
  if (!ctx) return;
  if (ctx.theme) applyDocumentTheme(ctx.theme);
  if (ctx.styles?.variables) applyHostStyleVariables(ctx.styles.variables);
  if (ctx.displayMode) document.documentElement.dataset.displayMode = ctx.displayMode;
  const inset = ctx.safeAreaInsets;
  if (inset) document.body.style.padding = `${inset.top}px ${inset.right}px ${inset.bottom}px ${inset.left}px`;
  if (view) render();
}

function showStatus(text: string, kind: 'info' | 'error' | 'success' = 'info'): void {
  root.replaceChildren(el('p', `status ${kind}`, text));
}

/** `note`: a badge after the row's first entry (the From line's "shared mailbox"). */
function recipientRow(label: string, list: readonly CardRecipient[], note?: string): HTMLElement | undefined {
  if (!list.length) return undefined;
  const row = el('div', 'row');
  row.append(el('span', 'label', label));
  const values = el('ul', 'recipients');
  values.setAttribute('aria-label', label);
  for (const r of list) {
    const item = el('li', r.external ? 'recipient external' : 'recipient');
    item.append(el('span', 'address', r.display));
    if (r.external) item.append(el('span', 'badge', `External · ${r.domain ?? 'other domain'}`));
    if (note && r === list[0]) item.append(el('span', 'badge mailbox', note));
    values.append(item);
  }
  row.append(values);
  return row;
}

/** From: the draft's sender; a draft in another mailbox says which mailbox and what kind, as the send prompt does. */
function fromRow(v: CardView): HTMLElement | undefined {
  const m = v.mailbox;
  const from: CardRecipient[] = v.from ? [v.from] : m ? [{ display: m.address, address: m.address, external: false }] : [];
  return recipientRow('From', from, m ? `${m.label}: ${m.address}` : undefined);
}

function button(label: string, className: string, onClick: () => void): HTMLButtonElement {
  const b = el('button', className, label);
  b.type = 'button';
  b.disabled = busy;
  b.addEventListener('click', onClick);
  return b;
}

function render(notice?: { text: string; kind: 'info' | 'error' | 'success' }): void {
  if (!view) return;
  const v = view;
  const card = el('article', 'draft');
  const head = el('header', 'head');
  head.append(el('span', 'kicker', v.sent ? 'Sent' : 'Draft — not sent'), el('h1', 'subject', v.subject || '(no subject)'));
  card.append(head);
  if (notice) card.append(el('p', `notice ${notice.kind}`, notice.text));

  const meta = el('section', 'meta');
  meta.append(...[fromRow(v), recipientRow('To', v.to), recipientRow('Cc', v.cc), recipientRow('Bcc', v.bcc)].filter((x): x is HTMLElement => x !== undefined));
  if (!v.to.length && !v.cc.length && !v.bcc.length) meta.append(el('p', 'warning', 'No recipients yet.'));
  card.append(meta);

  const body = el('section', 'body');
  body.setAttribute('aria-label', 'Message body');
  body.append(el('pre', 'body-text', v.body || '(empty body)'));
  if (v.body_note) body.append(el('p', 'hint', v.body_note));
  card.append(body);

  const atts = el('section', 'attachments');
  atts.append(el('h2', undefined, v.attachments.length ? `Attachments (${v.attachments.length})` : 'No attachments'));
  if (v.attachments.length) {
    const list = el('ul');
    for (const a of v.attachments) {
      const item = el('li', 'attachment');
      item.append(el('span', 'name', a.name), el('span', 'size', a.size_label));
      list.append(item);
    }
    atts.append(list);
  }
  card.append(atts);

  const actions = el('footer', 'actions');
  if (!v.sent) {
    if (v.web_url) actions.append(button('Open in Outlook', 'secondary', () => void openInOutlook()));
    actions.append(button('Discard', 'secondary danger', () => void discard()));
    if (v.can_send && approval) actions.append(button('Send', 'primary', () => void send()));
  }
  const modes = app.getHostContext()?.availableDisplayModes ?? [];
  const mode = app.getHostContext()?.displayMode ?? 'inline';
  if (modes.includes('fullscreen') && mode !== 'fullscreen') actions.append(button('Expand', 'ghost', () => void app.requestDisplayMode({ mode: 'fullscreen' }).catch(() => undefined)));
  if (mode === 'fullscreen' && modes.includes('inline')) actions.append(button('Collapse', 'ghost', () => void app.requestDisplayMode({ mode: 'inline' }).catch(() => undefined)));
  card.append(actions);
  if (!v.sent && v.send_note) card.append(el('p', 'hint', v.send_note));
  root.replaceChildren(card);
}

function errorText(r: CallToolResult): string {
  const first = r.content?.find((c) => c.type === 'text');
  return first && 'text' in first ? first.text : 'The server did not answer.';
}

/** Reads the draft (and, with send on, a fresh approval for exactly this version). */
async function load(notice?: { text: string; kind: 'info' | 'error' | 'success' }): Promise<void> {
  if (!draftId) return;
  const r = await app.callServerTool({ name: CARD_VIEW_TOOL, arguments: { draft_id: draftId } });
  if (r.isError) {
    view = undefined;
    approval = undefined;
    showStatus(errorText(r), 'error');
    return;
  }
  view = r.structuredContent as unknown as CardView;
  const token = r._meta?.[APPROVAL_META];
  approval = typeof token === 'string' ? token : undefined;
  render(notice);
}

async function withBusy(run: () => Promise<void>): Promise<void> {
  if (busy) return;
  busy = true;
  render();
  try {
    await run();
  } catch (err) {
    busy = false;
    render({ text: err instanceof Error ? err.message : String(err), kind: 'error' });
    return;
  }
  busy = false;
  if (view) render(lastNotice);
}

let lastNotice: { text: string; kind: 'info' | 'error' | 'success' } | undefined;

async function send(): Promise<void> {
  await withBusy(async () => {
    const token = approval;
    // One press, one approval: the token is spent whatever the answer.
    approval = undefined;
    const r = await app.callServerTool({ name: CARD_SEND_TOOL, arguments: { draft_id: draftId, approval: token } });
    const s = r.structuredContent as unknown as CardSendResult | undefined;
    if (r.isError || !s) {
      lastNotice = { text: errorText(r), kind: 'error' };
      await load(lastNotice);
      return;
    }
    if (s.sent && view) {
      view = { ...view, sent: true };
      lastNotice = { text: s.note, kind: 'success' };
      await app.updateModelContext({ content: [{ type: 'text', text: `The user sent the draft "${view.subject}" from the review card.` }] }).catch(() => undefined);
      return;
    }
    // Changed or refused: show the current version with a fresh approval; the user decides again.
    lastNotice = { text: s.note, kind: s.status === 'changed' ? 'info' : 'error' };
    await load(lastNotice);
  });
}

async function discard(): Promise<void> {
  await withBusy(async () => {
    // The discard tool takes the mailbox as its argument; the card names the one the server said the draft is in.
    const r = await app.callServerTool({ name: DISCARD_TOOL, arguments: { draft_id: draftId, ...(view?.mailbox ? { mailbox: view.mailbox.address } : {}) } });
    if (r.isError) {
      lastNotice = { text: errorText(r), kind: 'error' };
      return;
    }
    view = undefined;
    approval = undefined;
    lastNotice = undefined;
    showStatus('Discarded: the draft is in Deleted Items, where Outlook can restore it.', 'success');
  });
}

async function openInOutlook(): Promise<void> {
  if (!view?.web_url) return;
  const r = await app.openLink({ url: view.web_url }).catch(() => ({ isError: true }));
  if (r.isError) render({ text: `The host did not open the link. Open it yourself: ${view.web_url}`, kind: 'info' });
}

app.ontoolresult = (params) => {
  const id = (params.structuredContent as { draft_id?: unknown } | undefined)?.draft_id;
  if (params.isError || typeof id !== 'string') {
    showStatus(params.isError ? errorText(params as CallToolResult) : 'No draft to review.', params.isError ? 'error' : 'info');
    return;
  }
  draftId = id;
  lastNotice = undefined;
  void load().catch((err: unknown) => showStatus(err instanceof Error ? err.message : String(err), 'error'));
};
app.ontoolcancelled = () => showStatus('The tool call was cancelled.', 'info');
// The SDK merges each change into getHostContext() before calling this.
app.onhostcontextchanged = () => applyContext(app.getHostContext());

await app.connect();
applyContext(app.getHostContext());
