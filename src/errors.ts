/**
 * The base of every error whose message is written for the user (and the
 * agent acting for them): what happened and what to do next. Tools show such
 * a message as it is; anything else is a bug and is reported as unexpected.
 * A class opts in by extending this, so no error is "unexpected" by omission
 * from a list.
 */
export class UserFacingError extends Error {
  override name = 'UserFacingError';

  /** `code` is stable (tests, logs and clients may match on it); the message is not. */
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** True for errors whose message may be shown as it is. */
export function isUserFacing(err: unknown): err is UserFacingError {
  return err instanceof UserFacingError;
}
