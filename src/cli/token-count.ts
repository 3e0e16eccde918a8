/**
 * Token counts for the demo. o200k_base through gpt-tokenizer when it is
 * installed (a development dependency: `npm ci` in a clone has it, an
 * `npx mcp-server-outlook` install does not); otherwise an estimate of one
 * token per four characters, labelled as such.
 */
export interface TokenCounter {
  count(text: string): number;
  /** `o200k tokens`, or the estimate's label. */
  readonly unit: string;
  readonly exact: boolean;
}

/** The best counter available at run time. */
export async function tokenCounter(): Promise<TokenCounter> {
  try {
    const { encode } = await import('gpt-tokenizer/encoding/o200k_base');
    return { count: (t) => encode(t).length, unit: 'o200k tokens', exact: true };
  } catch {
    return { count: (t) => Math.ceil(t.length / 4), unit: 'tokens (estimated as characters/4: gpt-tokenizer is not installed)', exact: false };
  }
}
