/**
 * Failures of the draft tools. Each message says what happened and what to do
 * next, so it can be shown to the user as it is.
 */
import { UserFacingError } from '../errors.js';

/** The id is not one of this profile's drafts (registry and/or Graph tag disagree). */
export class DraftNotOwnedError extends UserFacingError {
  override name = 'DraftNotOwnedError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('draft_not_owned', message, options);
  }
}

/** A mail id given to an event tool or the reverse. */
export class DraftKindError extends UserFacingError {
  override name = 'DraftKindError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('draft_kind', message, options);
  }
}

/** The item is no longer a draft (sent, or an event someone now attends). */
export class DraftStateError extends UserFacingError {
  override name = 'DraftStateError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('draft_state', message, options);
  }
}

/** An argument of a draft tool is invalid (address, size, count). */
export class DraftInputError extends UserFacingError {
  override name = 'DraftInputError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('draft_input', message, options);
  }
}

/** A local attachment path is outside the allowed folders, missing or too large. */
export class AttachmentPathError extends UserFacingError {
  override name = 'AttachmentPathError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('attachment_path', message, options);
  }
}

/** An upload session answered with something we refuse to use (non-https URL, bad range). */
export class UploadError extends UserFacingError {
  override name = 'UploadError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('upload_refused', message, options);
  }
}

/** The draft exists but a step after its creation (recording, an attachment) failed; says which draft, so the agent does not create another. */
export class DraftAttachmentError extends UserFacingError {
  override name = 'DraftAttachmentError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('draft_attachment_failed', message, options);
  }
}

/** The tools' services are not wired into the server (a build error, not a user error). */
export class DraftsNotConfiguredError extends UserFacingError {
  override name = 'DraftsNotConfiguredError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('drafts_not_configured', message, options);
  }
}

/** A send refused by policy: no way to ask the user (client without elicitation in `elicit` mode). */
export class SendConfirmationUnavailableError extends UserFacingError {
  override name = 'SendConfirmationUnavailableError';
  constructor(message: string, options?: { cause?: unknown }) {
    super('send_confirmation_unavailable', message, options);
  }
}

/** Errors that mean "refused before acting" (the audit log records them as refused, not failed). */
export const DRAFT_REFUSALS = [DraftNotOwnedError, DraftKindError, DraftStateError, DraftInputError, AttachmentPathError, SendConfirmationUnavailableError] as const;
