/**
 * A minimal MCP Apps host for the browser test: the SDK's AppBridge shows
 * the card in a sandboxed iframe and proxies the card's tool calls to the
 * real server through `window.hostCallTool`, which the test exposes from
 * Node (an in-process MCP client). Like a real host, it forwards a card's
 * call only for tools whose visibility includes "app".
 */
import { AppBridge, PostMessageTransport, type McpUiHostContext } from '@modelcontextprotocol/ext-apps/app-bridge';
import type { CallToolRequest, CallToolResult, Tool } from '@modelcontextprotocol/client';

declare global {
  interface Window {
    hostCallTool(params: CallToolRequest['params']): Promise<CallToolResult>;
    hostOpenedLink(url: string): Promise<void>;
    hostModelContext(text: string): Promise<void>;
    mountCard(html: string, tools: Tool[], context: McpUiHostContext): Promise<void>;
    showToolResult(args: Record<string, unknown>, result: CallToolResult): Promise<void>;
    setHostContext(context: McpUiHostContext): Promise<void>;
  }
}

let bridge: AppBridge | undefined;

window.mountCard = async (html, tools, context) => {
  const iframe = document.createElement('iframe');
  // No allow-same-origin: the card runs in an opaque origin, as hosts run it.
  iframe.setAttribute('sandbox', 'allow-scripts');
  iframe.style.cssText = 'width:640px;height:720px;border:0;display:block';
  iframe.id = 'card';
  const appCallable = new Set(tools.filter((t) => ((t._meta as { ui?: { visibility?: string[] } } | undefined)?.ui?.visibility ?? ['model', 'app']).includes('app')).map((t) => t.name));
  bridge = new AppBridge(null, { name: 'browser-test-host', version: '1.0.0' }, { openLinks: {}, serverTools: {}, updateModelContext: { text: {} } }, { hostContext: context });
  bridge.oncalltool = async (params) => {
    if (!appCallable.has(params.name)) return { isError: true, content: [{ type: 'text', text: `host: ${params.name} is not callable by apps` }] };
    return window.hostCallTool(params);
  };
  bridge.onopenlink = async ({ url }) => {
    await window.hostOpenedLink(url);
    return {};
  };
  bridge.onupdatemodelcontext = async (params) => {
    const text = (params.content ?? []).map((c) => ('text' in c ? c.text : '')).join('\n');
    await window.hostModelContext(text);
    return {};
  };
  bridge.onsizechange = ({ height }) => {
    if (height) iframe.style.height = `${Math.ceil(height)}px`;
  };
  const initialized = new Promise<void>((resolve) => {
    bridge!.oninitialized = () => resolve();
  });
  document.body.append(iframe);
  // Listen before the card starts: its ui/initialize is the first thing it sends. The frame's
  // WindowProxy stays the same object when srcdoc navigates it.
  await bridge.connect(new PostMessageTransport(iframe.contentWindow!, iframe.contentWindow!));
  iframe.srcdoc = html;
  await initialized;
};

window.showToolResult = async (args, result) => {
  await bridge!.sendToolInput({ arguments: args });
  await bridge!.sendToolResult(result);
};

window.setHostContext = async (context) => {
  bridge!.setHostContext(context);
};
