/**
 * Failures of the draft tools. Each message says what happened and what to do
 * next, so it can be shown to the user as it is.
 */

/** The id is not one of this profile's drafts (registry and/or Graph tag disagree). */
export class DraftNotOwnedError extends Error {
  override name = 'DraftNotOwnedError';
}

/** A mail id given to an event tool or the reverse. */
export class DraftKindError extends Error {
  override name = 'DraftKindError';
}

/** The item is no longer a draft (sent, or an event someone now attends). */
export class DraftStateError extends Error {
  override name = 'DraftStateError';
}

/** An argument of a draft tool is invalid (address, size, count). */
export class DraftInputError extends Error {
  override name = 'DraftInputError';
}

/** A local attachment path is outside the allowed folders, missing or too large. */
export class AttachmentPathError extends Error {
  override name = 'AttachmentPathError';
}

/** An upload session answered with something we refuse to use (non-https URL, bad range). */
export class UploadError extends Error {
  override name = 'UploadError';
}

/** The draft exists but an attachment could not be added; says which draft, so the agent does not create another. */
export class DraftAttachmentError extends Error {
  override name = 'DraftAttachmentError';
}

/** The tools' services are not wired into the server (a build error, not a user error). */
export class DraftsNotConfiguredError extends Error {
  override name = 'DraftsNotConfiguredError';
}

/** A send refused by policy: no way to ask the user (client without elicitation in `elicit` mode). */
export class SendConfirmationUnavailableError extends Error {
  override name = 'SendConfirmationUnavailableError';
}

/** Every error class above: their messages are written for the user. */
export const DRAFT_USER_FACING_ERRORS = [DraftNotOwnedError, DraftKindError, DraftStateError, DraftInputError, AttachmentPathError, UploadError, DraftAttachmentError, DraftsNotConfiguredError, SendConfirmationUnavailableError] as const;

/** Errors that mean "refused before acting" (the audit log records them as refused, not failed). */
export const DRAFT_REFUSALS = [DraftNotOwnedError, DraftKindError, DraftStateError, DraftInputError, AttachmentPathError, SendConfirmationUnavailableError] as const;
