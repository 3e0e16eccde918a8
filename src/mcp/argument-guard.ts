/**
 * Refuses tool calls whose arguments carry an object key that names the
 * prototype machinery (`__proto__`, `constructor`, `prototype`), at any depth.
 * JSON.parse keeps such a key as an own property, but the SDK's parse of
 * `tools/call` arguments drops `__proto__` silently before any tool schema
 * sees it, so the call would go ahead as if the argument were not there.
 * Checked on the parsed message, before the SDK, for every transport.
 */
import type { JSONRPCMessage, MessageExtraInfo, Transport, TransportSendOptions } from '@modelcontextprotocol/server';

const FORBIDDEN = new Set(['__proto__', 'constructor', 'prototype']);
const MAX_DEPTH = 64;

/** The first forbidden key in `value` (with its path), if any; iterative, bounded by depth. */
export function forbiddenKey(value: unknown): string | undefined {
  const stack: Array<{ v: unknown; path: string; depth: number }> = [{ v: value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { v, path, depth } = stack.pop()!;
    if (v === null || typeof v !== 'object' || depth > MAX_DEPTH) continue;
    for (const key of Object.keys(v)) {
      const here = path ? `${path}.${key}` : key;
      if (FORBIDDEN.has(key)) return here;
      stack.push({ v: (v as Record<string, unknown>)[key], path: here, depth: depth + 1 });
    }
  }
  return undefined;
}

/** A transport that answers a tools/call with a forbidden argument name with an Invalid params error instead of passing it on. */
export class ArgumentGuardTransport implements Transport {
  onclose?: () => void;
  onerror?: (error: Error) => void;
  onmessage?: <T extends JSONRPCMessage>(message: T, extra?: MessageExtraInfo) => void;

  constructor(private readonly inner: Transport) {
    inner.onclose = () => this.onclose?.();
    inner.onerror = (e) => this.onerror?.(e);
    inner.onmessage = (message, extra) => {
      const m = message as { id?: string | number; method?: string; params?: { arguments?: unknown } };
      const bad = m.method === 'tools/call' && m.id !== undefined ? forbiddenKey(m.params?.arguments) : undefined;
      if (bad === undefined) return this.onmessage?.(message, extra);
      void inner
        .send({ jsonrpc: '2.0', id: m.id!, error: { code: -32602, message: `Invalid params: the argument name "${bad}" is not allowed. Pass only the tool's documented arguments.` } } as JSONRPCMessage)
        .catch((e: unknown) => this.onerror?.(e instanceof Error ? e : new Error(String(e))));
    };
  }

  get sessionId(): string | undefined {
    return this.inner.sessionId;
  }

  start(): Promise<void> {
    return this.inner.start();
  }

  send(message: JSONRPCMessage, options?: TransportSendOptions): Promise<void> {
    return this.inner.send(message, options);
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  setProtocolVersion(version: string): void {
    this.inner.setProtocolVersion?.(version);
  }

  setSupportedProtocolVersions(versions: string[]): void {
    this.inner.setSupportedProtocolVersions?.(versions);
  }
}
