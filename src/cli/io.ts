/** What every command of the command line shares: its I/O, exit codes and the usage error. */

export interface CliIo {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  env: Readonly<Record<string, string | undefined>>;
  /** Resolves when the process should stop (standalone sandbox); defaults to SIGINT/SIGTERM. */
  untilStopped?: () => Promise<void>;
}

export const EXIT_OK = 0;
export const EXIT_TOOL_ERROR = 1;
export const EXIT_USAGE = 2;

/** Wrong use of the command line; the message says the right use. */
export class UsageError extends Error {
  override name = 'UsageError';
}
