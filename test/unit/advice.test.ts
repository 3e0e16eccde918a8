/**
 * Next steps worded per install (src/config/advice.ts): from a terminal the
 * variable and the command, from the MCP Bundle the setting's title as the
 * host app shows it (checked against the manifest) and ol_login_begin, never
 * a command or variable the bundle user does not have.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { BUNDLE_SETTINGS, becauseOf, clientConfirmationAdvice, pageRendererAdvice, sandboxResetAdvice, signInAdvice, signInWith, turnOn } from '../../src/config/advice.js';
import { ConfigError, loadConfig } from '../../src/config/config.js';
import { switchedOffReason } from '../../src/tools/index.js';
import { settingNeeding } from '../../src/auth/scopes.js';

const manifest = JSON.parse(readFileSync('packaging/mcpb/manifest.json', 'utf8')) as {
  server: { mcp_config: { env: Record<string, string> } };
  user_config: Record<string, { title: string }>;
};
const cli = loadConfig({ OUTLOOK_CACHE_DIR: '/tmp/advice-test' });
const bundle = loadConfig({ OUTLOOK_CACHE_DIR: '/tmp/advice-test', OUTLOOK_BUNDLE: 'mcpb' });
const CLI_ONLY = /OUTLOOK_[A-Z_]+|mcp-server-outlook [a-z-]+|--sandbox|--drafts|--send/;

describe('advice per install', () => {
  it('names every bundle setting by the title and variable the manifest gives it', () => {
    for (const [variable, { key, title }] of Object.entries(BUNDLE_SETTINGS)) {
      expect(manifest.user_config[key]?.title, key).toBe(title);
      expect(manifest.server.mcp_config.env[variable], variable).toBe(`\${user_config.${key}}`);
    }
    expect(manifest.server.mcp_config.env.OUTLOOK_BUNDLE).toBe('mcpb');
    expect(bundle.bundle).toBe('mcpb');
    expect(cli.bundle).toBeUndefined();
  });

  it('refuses an unknown OUTLOOK_BUNDLE, naming it', () => {
    expect(() => loadConfig({ OUTLOOK_BUNDLE: 'zip' })).toThrow(/OUTLOOK_BUNDLE/);
  });

  it('switched-off tools: the variable from a terminal, the setting in the bundle', () => {
    const draftTool = { name: 'ol_email_create_draft', gate: 'drafts' as const };
    const sendTool = { name: 'ol_email_send_draft', gate: 'send' as const };
    expect(switchedOffReason(draftTool, cli)).toContain('Set OUTLOOK_ALLOW_DRAFTS=true');
    expect(switchedOffReason(sendTool, cli)).toContain('Set OUTLOOK_ALLOW_DRAFTS=true and OUTLOOK_ALLOW_SEND=true');
    expect(switchedOffReason(draftTool, bundle)).toContain("Turn on 'Allow drafts' in the extension's settings");
    expect(switchedOffReason(sendTool, bundle)).toContain("Turn on 'Allow drafts' and 'Allow sending approved drafts' in the extension's settings");
    for (const t of [draftTool, sendTool]) expect(switchedOffReason(t, bundle)).not.toMatch(CLI_ONLY);
  });

  it('sign-in: the login command with the flag the settings need, or ol_login_begin in the bundle', () => {
    const drafts = { ...cli, allowDrafts: true };
    expect(signInAdvice(drafts)).toBe('mcp-server-outlook login --drafts --profile default (or ask the agent to call ol_login_begin)');
    expect(signInAdvice({ ...drafts, bundle: 'mcpb' })).toMatch(/^ol_login_begin \(ask the agent to call it with force=true\)$/);
    expect(settingNeeding(['Mail.ReadWrite', 'Mail.Send'], cli)).toBe('OUTLOOK_ALLOW_SEND=true and OUTLOOK_ALLOW_DRAFTS=true');
    expect(settingNeeding(['Mail.ReadWrite', 'Mail.Send'], bundle)).toBe("'Allow sending approved drafts' and 'Allow drafts'");
  });

  it('send confirmation and the PDF page check: no variable or command in the bundle', () => {
    expect(clientConfirmationAdvice(cli)).toContain('OUTLOOK_SEND_CONFIRMATION=client');
    expect(clientConfirmationAdvice(bundle)).toMatch(/^or install the server from npm .*the extension bundle always asks you itself/);
    expect(pageRendererAdvice(cli)).toContain('@napi-rs/canvas');
    expect(pageRendererAdvice(bundle)).toContain('extension bundle leaves out the page renderer');
    expect(pageRendererAdvice(bundle)).not.toMatch(CLI_ONLY);
    expect(turnOn(cli, 'OUTLOOK_ALLOW_DRAFTS')).toBe('Set OUTLOOK_ALLOW_DRAFTS=true');
  });

  it('demo mailbox reset, the send consent and the sign-in after a refused token', () => {
    expect(sandboxResetAdvice(cli)).toBe('mcp-server-outlook sandbox reset');
    expect(becauseOf(cli, 'OUTLOOK_ALLOW_SEND')).toBe('OUTLOOK_ALLOW_SEND=true');
    expect(becauseOf(bundle, 'OUTLOOK_ALLOW_SEND')).toBe("'Allow sending approved drafts' is on in the extension's settings");
    expect(signInWith(cli)).toBe('mcp-server-outlook login --profile default');
    for (const s of [sandboxResetAdvice(bundle), becauseOf(bundle, 'OUTLOOK_ALLOW_SEND'), signInWith(bundle)]) expect(s).not.toMatch(CLI_ONLY);
  });

  it('config errors in the bundle name the setting a person changes', () => {
    const sendOnly = () => loadConfig({ OUTLOOK_BUNDLE: 'mcpb', OUTLOOK_ALLOW_SEND: 'true', OUTLOOK_ALLOW_DRAFTS: 'false' });
    expect(sendOnly).toThrow(ConfigError);
    expect(sendOnly).toThrow("'Allow sending approved drafts' needs 'Allow drafts'");
    expect(() => loadConfig({ OUTLOOK_BUNDLE: 'mcpb', OUTLOOK_TIMEZONE: 'Mars/Olympus' })).toThrow("In the extension's settings this is 'Time zone'.");
    expect(() => loadConfig({ OUTLOOK_ALLOW_SEND: 'true' })).toThrow('OUTLOOK_ALLOW_SEND=true needs OUTLOOK_ALLOW_DRAFTS=true');
  });
});

describe('the demo mailbox file, worded for the bundle', () => {
  it('a damaged saved mailbox tells a bundle user what to do without the sandbox command', async () => {
    const { mkdtempSync, rmSync, writeFileSync } = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const { SandboxMailboxFile } = await import('../../src/sandbox-state/mailbox-file.js');
    const { startSandbox } = await import('../../src/sandbox/index.js');
    const dir = mkdtempSync(path.join(os.tmpdir(), 'advice-sandbox-'));
    try {
      const store = new SandboxMailboxFile(dir, 'default', undefined, sandboxResetAdvice(bundle));
      writeFileSync(store.location, '{ not json');
      const err = (await startSandbox({ store }).catch((e: unknown) => e)) as Error;
      expect(err.message).toMatch(/not valid JSON/);
      expect(err.message).toContain(sandboxResetAdvice(bundle));
      expect(err.message).not.toMatch(CLI_ONLY);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
