/**
 * Diagnostics go to stderr only: stdout belongs to the MCP transport. Set
 * OUTLOOK_LOG_LEVEL=debug for more. Never pass tokens or message content here.
 */
type Level = 'debug' | 'info' | 'warn' | 'error' | 'silent';
const ORDER: Record<Level, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 99 };

/** A stderr logger with a level; built by the runtime and passed down in the server's dependencies. */
export class Logger {
  constructor(
    private level: Level = 'warn',
    private readonly write: (line: string) => void = (line) => process.stderr.write(line),
  ) {}

  /** Changes the threshold (the CLI sets it from OUTLOOK_LOG_LEVEL). */
  setLevel(level: string | undefined): void {
    if (level && level in ORDER) this.level = level as Level;
  }

  debug(msg: string): void {
    this.emit('debug', msg);
  }
  info(msg: string): void {
    this.emit('info', msg);
  }
  warn(msg: string): void {
    this.emit('warn', msg);
  }
  error(msg: string): void {
    this.emit('error', msg);
  }

  private emit(level: Exclude<Level, 'silent'>, msg: string): void {
    if (ORDER[level] < ORDER[this.level]) return;
    // One line per message, control characters escaped: a message may quote tool arguments or Graph text,
    // and a raw newline or terminal escape there could forge or hide log lines.
    const safe = msg.replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, (c) => (c === '\n' ? ' | ' : `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`));
    this.write(`[mcp-server-outlook] ${level}: ${safe}\n`);
  }
}
