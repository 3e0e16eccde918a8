/**
 * The next step a message tells the person to take, worded for how they run
 * the server. From a terminal (npm, npx, a client's JSON config) they set
 * environment variables and run `mcp-server-outlook login`; from the MCP
 * Bundle (.mcpb, OUTLOOK_BUNDLE=mcpb set by its manifest) they have no
 * command line, only the extension's settings in the host app (Claude
 * Desktop shows each setting by its title) and the agent's ol_login_begin.
 * Every message that says what to do next takes its wording from here, so
 * a bundle user is never told to run a command they do not have.
 */
/** How the server was installed, for wording: `cli` (terminal, env vars) or `mcpb` (the bundle's settings). */
export type Surface = 'cli' | 'mcpb';

/** The part of the configuration that decides the wording (config.ts imports this module, so no import back). */
interface Surfaced {
  readonly bundle?: 'mcpb';
}
/** What a sign-in needs to know. */
interface SignInFacts {
  readonly profile: string;
  readonly sandbox: boolean;
  readonly allowDrafts: boolean;
  readonly allowSend: boolean;
}

/** Which surface `config` was started from. */
export function surfaceOf(config: Surfaced): Surface {
  return config.bundle === 'mcpb' ? 'mcpb' : 'cli';
}

/**
 * The bundle's settings as its manifest titles them (packaging/mcpb/manifest.json `user_config`), by the
 * variable each one sets. test/unit/advice.test.ts checks every title against the manifest.
 */
export const BUNDLE_SETTINGS: Readonly<Record<string, { key: string; title: string }>> = Object.freeze({
  OUTLOOK_PROFILE: { key: 'profile', title: 'Profile' },
  OUTLOOK_ALLOW_DRAFTS: { key: 'allow_drafts', title: 'Allow drafts' },
  OUTLOOK_ALLOW_SEND: { key: 'allow_send', title: 'Allow sending approved drafts' },
  OUTLOOK_TIMEZONE: { key: 'time_zone', title: 'Time zone' },
  OUTLOOK_ATTACHMENT_DIRS: { key: 'attachment_dir', title: 'Attachment folder' },
  OUTLOOK_CLIENT_ID: { key: 'client_id', title: 'App registration (client) id' },
  OUTLOOK_TENANT_ID: { key: 'tenant_id', title: 'Tenant id' },
  OUTLOOK_TOKEN_PASSPHRASE: { key: 'token_passphrase', title: 'Token file passphrase' },
  OUTLOOK_SANDBOX: { key: 'sandbox', title: 'Demo mailbox' },
});

/** The on/off switches a message can ask for. */
export type Switch = 'OUTLOOK_ALLOW_DRAFTS' | 'OUTLOOK_ALLOW_SEND';

/** "Set OUTLOOK_ALLOW_DRAFTS=true" / "Turn on 'Allow drafts' in the extension's settings". */
export function turnOn(config: Surfaced, ...switches: Switch[]): string {
  if (surfaceOf(config) === 'mcpb') {
    const titles = switches.map((s) => `'${BUNDLE_SETTINGS[s]!.title}'`);
    return `Turn on ${titles.join(' and ')} in the extension's settings`;
  }
  return `Set ${switches.map((s) => `${s}=true`).join(' and ')}`;
}

/** A setting named as the person changes it: the variable from a terminal, the setting's title in the bundle. */
export function settingName(config: Surfaced, variable: string): string {
  const setting = BUNDLE_SETTINGS[variable];
  return surfaceOf(config) === 'mcpb' && setting ? `'${setting.title}'` : variable;
}

/** The command line that signs `config`'s profile in (a terminal's way). */
export function loginCommandFor(config: SignInFacts): string {
  // The flag carries what the server needs into a terminal that lacks its OUTLOOK_ALLOW_* settings,
  // so the advice grants the right scopes as printed instead of signing in read-only again.
  const needs = config.allowSend ? ' --send' : config.allowDrafts ? ' --drafts' : '';
  return `mcp-server-outlook ${config.sandbox ? '--sandbox ' : ''}login${needs} --profile ${config.profile}`;
}

/**
 * How this profile signs in, as a noun phrase ("Sign in again: …", "Sign in again with … and …"). From a
 * terminal, the login command; in the bundle, the agent's ol_login_begin: its server requests the scopes its
 * switched-on settings need, so the sign-in grants them.
 */
export function signInWith(config: Surfaced & SignInFacts): string {
  return surfaceOf(config) === 'mcpb' ? 'ol_login_begin (ask the agent to call it with force=true)' : loginCommandFor(config);
}

/** Every way this profile signs in: the command and, from a terminal, the agent's tool as well. */
export function signInAdvice(config: Surfaced & SignInFacts): string {
  return surfaceOf(config) === 'mcpb' ? signInWith(config) : `${loginCommandFor(config)} (or ask the agent to call ol_login_begin)`;
}

/** Other ways to get going without a sign-in. */
export function withoutSignInAdvice(config: Surfaced): string {
  return surfaceOf(config) === 'mcpb'
    ? `or turn on '${BUNDLE_SETTINGS.OUTLOOK_SANDBOX!.title}' in the extension's settings to try the demo mailbox`
    : 'set OUTLOOK_ACCESS_TOKEN to a Microsoft Graph access token, or try the demo mailbox with --sandbox';
}

/** The send-confirmation refusal's last choice: the client's own approval prompt. */
export function clientConfirmationAdvice(config: Surfaced): string {
  return surfaceOf(config) === 'mcpb'
    ? 'or install the server from npm (mcp-server-outlook) with OUTLOOK_SEND_CONFIRMATION=client to rely on your client\'s own approval prompt for each tool call (the extension bundle always asks you itself)'
    : "or set OUTLOOK_SEND_CONFIRMATION=client to rely on your client's own approval prompt for each tool call";
}

/** What gives the PDF reader its page check when this install has no page renderer. */
export function pageRendererAdvice(config: Surfaced): string {
  return surfaceOf(config) === 'mcpb'
    ? "PDF text was withheld unchecked: the extension bundle leaves out the page renderer that shows which words a person sees. Open the PDF yourself, or install the server from npm (mcp-server-outlook), which checks every page."
    : "PDF text was withheld unchecked: the page renderer (@napi-rs/canvas) does not load on this machine, so which words a person sees cannot be checked. Reinstall mcp-server-outlook so npm adds the renderer for this platform.";
}

/** How to start the demo mailbox afresh, after the folder it is kept in was named. */
export function sandboxResetAdvice(config: Surfaced): string {
  return surfaceOf(config) === 'mcpb' ? 'delete that folder and turn the extension off and on again' : 'mcp-server-outlook sandbox reset';
}

/** The setting behind a consent the person will see, e.g. "Send mail as you". */
export function becauseOf(config: Surfaced, variable: Switch): string {
  return surfaceOf(config) === 'mcpb' ? `${settingName(config, variable)} is on in the extension's settings` : `${variable}=true`;
}
