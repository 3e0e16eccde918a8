/**
 * What every bench script shares: its command-line flags, parsed strictly, and the statistics its tables print.
 *
 * Flags go through node:util's parseArgs in strict mode, so an unknown flag, a flag without its value or a value
 * that is not a number where one is expected stops the bench at once with its usage line; hand-rolled
 * `args.indexOf` parsing ignored a typo (`--round 1500`) and ran a default-sized bench instead.
 */
import { parseArgs } from 'node:util';

/**
 * Parses `process.argv` against `spec`: `{ 'flag-name': { default?, number?, boolean? } }`. Returns the values
 * keyed by the flag's camel-cased name (`--proc-calls` → `procCalls`): numbers (non-negative, finite) for
 * `number`, true/false for `boolean`, else strings (undefined when absent and without a default).
 */
export function benchFlags(usage, spec) {
  const options = Object.fromEntries(Object.entries(spec).map(([name, s]) => [name, s.boolean ? { type: 'boolean' } : { type: 'string' }]));
  const fail = (message) => {
    process.stderr.write(`${message}\nUsage: ${usage}\n`);
    process.exit(2);
  };
  let values;
  try {
    ({ values } = parseArgs({ args: process.argv.slice(2), options, strict: true, allowPositionals: false }));
  } catch (err) {
    fail(err.message);
  }
  const out = {};
  for (const [name, s] of Object.entries(spec)) {
    let v = values[name] ?? (s.boolean ? false : s.default === undefined ? undefined : String(s.default));
    if (s.number && v !== undefined) {
      const n = Number(v);
      if (v === '' || !Number.isFinite(n) || n < 0) fail(`--${name} wants a non-negative number, not '${v}'.`);
      v = n;
    }
    out[name.replace(/-([a-z])/g, (_, c) => c.toUpperCase())] = v;
  }
  return out;
}

/** The median (the mean of the two middle values for an even count); NaN for none. */
export function median(xs) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** The p-th percentile by nearest rank (p99 of 300 values is the 297th smallest). */
export function percentile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
}
