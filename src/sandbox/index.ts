/** The sandbox: a loopback fake of Microsoft Graph v1.0 over a seeded mailbox. */
export { startSandbox } from './server.js';
export type { Injection, Notification, RecordedRequest, Sandbox, SandboxOptions } from './types.js';
export type { SandboxMailbox } from './model.js';
export type { DeviceCodeInfo, IdentityFailure, IdentityInjection, IdentityOptions, IdentityRequest, SandboxIdentity } from './identity/types.js';
export { SEED_IDS } from './seed/index.js';
