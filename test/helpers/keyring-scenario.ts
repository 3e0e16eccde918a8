/**
 * Opens a token store in a fresh process and runs a few operations on it,
 * printing what happened as JSON. The keyring tests use it for every
 * situation that needs a different session bus than their own process: the
 * D-Bus library behind the keyring reads DBUS_SESSION_BUS_ADDRESS once per
 * process and keeps it.
 * Argument: JSON {options: OpenTokenStoreOptions, ops: Array<"read" | "clear" | {write: string}>}.
 */
import { openTokenStore, TokenStoreError, type OpenTokenStoreOptions } from '../../src/auth/stores/token-store.js';

type Op = 'read' | 'clear' | { write: string };
export type OpOutcome = { ok: true; value?: string } | { ok: false; code: string; message: string };
export interface ScenarioResult {
  kind: string;
  description: string;
  detection?: string;
  outcomes: OpOutcome[];
}

const { options, ops } = JSON.parse(process.argv[2] ?? '{}') as { options: OpenTokenStoreOptions; ops: Op[] };
const store = await openTokenStore(options);
const outcomes: OpOutcome[] = [];
for (const op of ops) {
  try {
    if (op === 'read') outcomes.push({ ok: true, value: await store.read() });
    else if (op === 'clear') outcomes.push({ ok: true, value: String(await store.clear()) });
    else outcomes.push({ ok: true, value: String(await store.write(op.write)) });
  } catch (err) {
    if (!(err instanceof TokenStoreError)) throw err;
    outcomes.push({ ok: false, code: err.code, message: err.message });
  }
}
const result: ScenarioResult = { kind: store.kind, description: store.description, detection: store.detection, outcomes };
process.stdout.write(JSON.stringify(result));
