/** The sandbox: a loopback fake of Microsoft Graph v1.0 over a seeded mailbox. */
export { freshSandboxState, startSandbox } from './server.js';
export { SavedStateError } from './saved-state.js';
export type { Injection, Notification, RecordedRequest, Sandbox, SandboxOptions, SandboxStore } from './types.js';
export type { SandboxMailbox } from './model.js';
// Remote mode: the team directory's API app and its test API.
export { SANDBOX_SERVER_CLIENT_ID } from './identity/directory.js';
export { otherMailboxDirectory } from './other-mailboxes.js';
export type { MailboxGrants, OtherMailboxAccess } from './other-mailboxes.js';
export type { DirectoryUser, SandboxServerApp } from './identity/directory.js';
export type { ApiTokenOptions, TeamFailure, TeamIdentity } from './identity/team.js';
export type { DeviceCodeInfo, IdentityFailure, IdentityInjection, IdentityOptions, IdentityRequest, SandboxIdentity } from './identity/types.js';
// The demo's script needs the seed's notable ids and its clock (which day is the demo's "Friday").
export { SEED_IDS, PEOPLE, createSeedClock } from './seed/index.js';
