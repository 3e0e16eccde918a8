/**
 * The zone name sent in `Prefer: outlook.timezone`. Graph documents Windows
 * names for it ("Pacific Standard Time", the list supportedTimeZones returns)
 * and answers in UTC, with no `Preference-Applied`, for a name it does not
 * support: many IANA names (America/Toronto, Europe/Madrid, Asia/Hong_Kong…)
 * are among those. So the user's IANA zone is sent as its Windows name, from
 * CLDR's windowsZones table (the `windows-iana` package, kept current with
 * CLDR). Times are read in their own zone anyway (src/services/graph-time.ts):
 * the right name spares a conversion, it is not what makes times right.
 */
type WindowsIana = typeof import('windows-iana');

// The table costs ~40 ms to load: only the first request that asks for a zone pays it.
let table: Promise<WindowsIana> | undefined;

/** The Windows name of an IANA zone, or the name itself when CLDR has none (Graph then answers in UTC, and says so in the times). */
export async function preferZoneName(iana: string): Promise<string> {
  const known = NAMES.get(iana);
  if (known !== undefined) return known;
  const name = await lookUp(iana);
  if (NAMES.size < 256) NAMES.set(iana, name);
  return name;
}

// findWindows scans CLDR's table on each call (~70 µs, measured); the user's zone rarely changes.
const NAMES = new Map<string, string>();

async function lookUp(iana: string): Promise<string> {
  table ??= import('windows-iana');
  const { findWindows } = await table;
  const direct = findWindows(iana)[0];
  if (direct) return direct;
  // ICU may know a newer spelling than CLDR's table (Europe/Kyiv for Europe/Kiev): try the canonical one Intl gives.
  try {
    const canonical = new Intl.DateTimeFormat('en-US', { timeZone: iana }).resolvedOptions().timeZone;
    const viaCanonical = canonical !== iana ? findWindows(canonical)[0] : undefined;
    if (viaCanonical) return viaCanonical;
  } catch {
    // Not a zone Intl knows: send it as it is.
  }
  return iana;
}
