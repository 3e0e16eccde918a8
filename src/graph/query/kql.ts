/**
 * KQL (Keyword Query Language) building for Microsoft Graph `$search` on
 * messages (docs/GRAPH-NOTES.md §3).
 *
 * Two layers of quoting are involved and kept apart:
 *  1. Inside the KQL expression, values we add (addresses, names) are always
 *     phrases: `from:"Bob Smith"` (`kqlPhrase`).
 *  2. The whole KQL expression is itself one OData string in
 *     `$search="…"`, so its `"` and `\` are escaped again
 *     (`searchParamValue`). Whatever the KQL contains, it cannot end that
 *     outer literal, and percent-encoding (`buildQueryString`) then keeps it
 *     inside its query parameter.
 *
 * The phrases we emit never contain `"` or `\` (`kqlPhraseText` turns them
 * into spaces), so they read the same whether or not the server honours
 * backslash escapes inside a KQL phrase, which is undocumented.
 *
 * The user's free-text query is passed through AS KQL (so `from:bob
 * subject:report` or `budget OR forecast` keep their meaning), but first
 * normalised by `kqlUserTerms` into a well-formed fragment: phrases are
 * closed and cleaned with `kqlPhraseText`, parentheses balanced, control
 * characters turned into spaces, and a bare word holding a `\` made into a
 * phrase. `kqlJoin` then puts that fragment in parentheses whenever it is
 * combined with our own restrictions, so an `OR`, `NOT`, a trailing operator
 * or a stray quote in the user's text can never absorb or cancel a
 * restriction we add (`(a OR b) from:"x"` rather than `a OR b from:"x"`).
 */

/** Quotes `value` as a KQL phrase: `"…"` with `\` and `"` backslash-escaped. */
export function kqlPhrase(value: string): string {
  return `"${value.replace(/[\\"]/g, '\\$&')}"`;
}

/**
 * Text that means the same inside a KQL phrase to any parser: `"`, `\` and
 * control characters become spaces, whitespace runs collapse; '' when nothing
 * searchable is left.
 */
export function kqlPhraseText(value: string): string {
  // A search index splits words at quotes and backslashes anyway, so dropping
  // them loses nothing a phrase search could have matched.
  return value.replace(CONTROL_CHARS, ' ').replace(/["\\]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** KQL restriction on the sender (address or display name, as a phrase of `kqlPhraseText(value)`). */
export function kqlFrom(value: string): string {
  return `from:${kqlPhrase(kqlPhraseText(value))}`;
}

/** KQL restriction on the To recipients (address or display name, as a phrase of `kqlPhraseText(value)`). */
export function kqlTo(value: string): string {
  return `to:${kqlPhrase(kqlPhraseText(value))}`;
}

/** KQL `received>=YYYY-MM-DD` for the UTC calendar day of `day` (KQL dates are day-granular). */
export function kqlReceivedOnOrAfter(day: Date): string {
  return `received>=${kqlDay(day)}`;
}

/** KQL `received<=YYYY-MM-DD` for the UTC calendar day of `day` (KQL dates are day-granular). */
export function kqlReceivedOnOrBefore(day: Date): string {
  return `received<=${kqlDay(day)}`;
}

/** KQL `hasAttachments:true` / `hasAttachments:false`. */
export function kqlHasAttachments(value: boolean): string {
  return `hasAttachments:${value ? 'true' : 'false'}`;
}

/** Wraps a whole KQL expression as the value of `$search`: `"…"` with inner `\` and `"` escaped. */
export function searchParamValue(kql: string): string {
  return `"${kql.replace(/[\\"]/g, '\\$&')}"`;
}

type Token =
  | { kind: 'word'; text: string; glued: boolean }
  | { kind: 'phrase'; text: string; glued: boolean }
  | { kind: 'open'; glued: boolean }
  | { kind: 'close'; glued: boolean };

// C0, DEL and C1 controls: never meaningful in a search, and a newline or NUL
// inside the KQL is the kind of thing a server parser handles badly.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f]/g;

/**
 * Normalises a user's free-text KQL into a well-formed fragment (closed
 * phrases, balanced parentheses, no control characters); '' when nothing
 * searchable is left.
 */
export function kqlUserTerms(query: string): string {
  return render(dropEmptyGroups(tokenize(query.replace(CONTROL_CHARS, ' '))));
}

/**
 * Joins a (normalised) user fragment and our restrictions into one KQL
 * expression, parenthesising the user fragment when it is more than a single
 * term so that it cannot change how the restrictions apply.
 */
export function kqlJoin(userTerms: string | undefined, restrictions: readonly string[]): string {
  const parts: string[] = [];
  if (userTerms !== undefined && userTerms !== '') {
    parts.push(restrictions.length > 0 && !isSingleTerm(userTerms) ? `(${userTerms})` : userTerms);
  }
  parts.push(...restrictions);
  return parts.join(' ');
}

function kqlDay(day: Date): string {
  const iso = day.toISOString();
  if (!/^\d{4}-/.test(iso)) throw new RangeError(`KQL date out of range: ${iso}`);
  return iso.slice(0, 10);
}

// A lone word or phrase with no operator characters cannot interact with
// whatever follows it, so it needs no parentheses.
function isSingleTerm(fragment: string): boolean {
  const tokens = tokenize(fragment);
  if (tokens.length !== 1) return false;
  const only = tokens[0];
  if (only === undefined) return false;
  if (only.kind === 'phrase') return true;
  return only.kind === 'word' && /^[\p{L}\p{N}_.@'*-]+$/u.test(only.text) && !/^(AND|OR|NOT|NEAR|ONEAR)$/.test(only.text);
}

function tokenize(input: string): Token[] {
  const tokens: Token[] = [];
  let depth = 0;
  let glued = false;
  let i = 0;
  while (i < input.length) {
    const ch = input[i] as string;
    if (/\s/.test(ch)) {
      glued = false;
      i++;
      continue;
    }
    if (ch === '"') {
      // A phrase runs to the next unescaped quote, or to the end when the user
      // left it open (it is closed for them rather than swallowing what we add).
      let text = '';
      i++;
      while (i < input.length) {
        const c = input[i] as string;
        if (c === '\\' && (input[i + 1] === '"' || input[i + 1] === '\\')) {
          text += input[i + 1];
          i += 2;
        } else if (c === '"') {
          i++;
          break;
        } else {
          text += c;
          i++;
        }
      }
      text = kqlPhraseText(text);
      // An empty phrase matches nothing useful and some parsers reject it.
      if (text !== '') {
        tokens.push({ kind: 'phrase', text, glued });
        glued = true;
      } else {
        glued = false;
      }
      continue;
    }
    if (ch === '(') {
      tokens.push({ kind: 'open', glued });
      depth++;
      glued = true;
      i++;
      continue;
    }
    if (ch === ')') {
      if (depth > 0) {
        tokens.push({ kind: 'close', glued });
        depth--;
        glued = true;
      } else {
        // An unmatched ')' is dropped; treating it as a gap keeps the words on
        // either side apart, as the user wrote them.
        glued = false;
      }
      i++;
      continue;
    }
    let text = '';
    while (i < input.length) {
      const c = input[i] as string;
      if (c === '"' || c === '(' || c === ')' || /\s/.test(c)) break;
      text += c;
      i++;
    }
    // A backslash has no documented meaning in KQL; a server that read it as
    // an escape could let `\)` keep a group open. Such a word becomes the
    // phrase of its searchable text.
    if (text.includes('\\')) {
      const phrase = kqlPhraseText(text);
      if (phrase !== '') tokens.push({ kind: 'phrase', text: phrase, glued });
      glued = phrase !== '';
      continue;
    }
    tokens.push({ kind: 'word', text, glued });
    glued = true;
  }
  for (; depth > 0; depth--) tokens.push({ kind: 'close', glued: true });
  return tokens;
}

// `()` (possibly nested, possibly left after dropping empty phrases) is a
// syntax error in KQL rather than "match everything".
function dropEmptyGroups(tokens: Token[]): Token[] {
  const out: Token[] = [];
  let gap = false;
  for (const token of tokens) {
    const last = out[out.length - 1];
    if (token.kind === 'close' && last?.kind === 'open') {
      out.pop();
      // Whatever follows must not fuse with the word before the removed group.
      gap = true;
      continue;
    }
    out.push(gap ? { ...token, glued: false } : token);
    gap = false;
  }
  return out;
}

function render(tokens: readonly Token[]): string {
  let out = '';
  let prev: Token['kind'] | undefined;
  for (const token of tokens) {
    const text =
      token.kind === 'word' ? token.text : token.kind === 'phrase' ? kqlPhrase(token.text) : token.kind === 'open' ? '(' : ')';
    // Only a word may fuse with what follows it (`from:"x"`, `NEAR(3)`); two
    // phrases written back to back would read as `""`, an escaped quote to some parsers.
    const fuse = prev === undefined || prev === 'open' || token.kind === 'close' || (token.glued && prev === 'word');
    out += fuse ? text : ` ${text}`;
    prev = token.kind;
  }
  return out;
}
