import { UserFacingError } from '../../errors.js';

/**
 * A document that cannot be read as it is (malformed, encrypted, too large,
 * a zip bomb, too slow): the message says what is wrong and what to do next.
 */
export class DocumentReadError extends UserFacingError {
  override name = 'DocumentReadError';
  constructor(code: 'document_malformed' | 'document_encrypted' | 'document_too_large' | 'document_unsupported' | 'document_timeout' | 'document_bad_pages', message: string, options?: { cause?: unknown }) {
    super(code, message, options);
  }
}
