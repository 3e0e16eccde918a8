import { describe, expect, it } from 'vitest';
import { aadstsNumber, explainEntraError, signInErrorFrom, SignInError } from '../../src/auth/entra-errors.js';
import { failureOf } from '../../src/auth/msal-errors.js';
import { NotSignedInError } from '../../src/auth/token-provider.js';
import { settingName } from '../../src/config/advice.js';

const desc = (n: number, text = 'Something happened.') => `AADSTS${n}: ${text} Trace ID: 1 Correlation ID: 2 Timestamp: 2026-01-01 00:00:00Z`;

describe('explainEntraError', () => {
  it.each([
    [{ error: 'invalid_grant', errorCodes: [50076], description: desc(50076) }, 'AADSTS50076', /multi-factor/, /complete the MFA prompt/],
    [{ error: 'invalid_grant', description: desc(50079) }, 'AADSTS50079', /register for multi-factor/, /aka\.ms\/mfasetup/],
    [{ error: 'invalid_grant', errorCodes: [65001], suberror: 'consent_required', description: desc(65001) }, 'AADSTS65001', /consent required/, /administrator to grant admin consent/],
    [{ error: 'invalid_grant', errorCodes: [53003] }, 'AADSTS53003', /Conditional Access/, /policy/],
    [{ error: 'unauthorized_client', errorCodes: [700016] }, 'AADSTS700016', /client id\) was not found/, /OUTLOOK_CLIENT_ID/],
    [{ error: 'invalid_client', errorCodes: [7000218] }, 'AADSTS7000218', /public-client/, /Allow public client flows/],
    [{ error: 'invalid_grant', errorCodes: [70000] }, 'AADSTS70000', /personal account renewed through \/common/, /OUTLOOK_TENANT_ID to consumers/],
    [{ error: 'invalid_grant', errorCodes: [700082] }, 'AADSTS700082', /stored sign-in expired/, /Sign in again: \{login\}/],
    [{ error: 'authorization_declined' }, 'authorization_declined', /declined/, /approve/],
    // Entra attaches AADSTS70019 to expired codes; the OAuth error says it as well.
    [{ error: 'expired_token', errorCodes: [70019] }, 'expired_token', /expired before it was entered/, /enter the new code/],
    [{ error: 'bad_verification_code', errorCodes: [70000] }, 'bad_verification_code', /not recognised/, /Start again/],
    [{ error: 'invalid_grant' }, 'invalid_grant', /refused the stored sign-in/, /Sign in again/],
    [{ error: 'consent_required' }, 'consent_required', /consent required/, /accept the consent screen/],
    [{ error: 'network_error', description: 'Could not reach the sign-in service at login.microsoftonline.com: ECONNREFUSED' }, 'network_error', /ECONNREFUSED/, /proxy/],
  ])('%j → %s', (failure, code, summary, next) => {
    const e = explainEntraError(failure);
    expect(e.code).toBe(code);
    expect(e.summary).toMatch(summary);
    expect(e.next).toMatch(next);
  });

  it('explains unknown codes with the code, a next step and a lookup link', () => {
    const e = explainEntraError({ error: 'invalid_request', description: desc(999999, 'Odd thing happened.') });
    expect(e).toMatchObject({ code: 'AADSTS999999', summary: 'Microsoft sign-in failed: Odd thing happened.' });
    expect(e.next).toMatch(/Sign in again.*error\?code=999999/);
    expect(explainEntraError({}).code).toBe('unknown_error');
  });

  it('reads the AADSTS number from error_codes or the description', () => {
    expect(aadstsNumber({ errorCodes: [50076] })).toBe(50076);
    expect(aadstsNumber({ description: desc(53003) })).toBe(53003);
    expect(aadstsNumber({ error: 'x' })).toBeUndefined();
  });

  it('builds a SignInError (a NotSignedInError) naming the command', () => {
    const err = signInErrorFrom({ error: 'invalid_grant', errorCodes: [700082] }, 'mcp-server-outlook login --profile acme');
    expect(err).toBeInstanceOf(SignInError);
    expect(err).toBeInstanceOf(NotSignedInError);
    expect(err.code).toBe('AADSTS700082');
    expect(err.message).toBe('The stored sign-in expired (the refresh token was unused too long, was already used, or was revoked). (AADSTS700082) Sign in again: mcp-server-outlook login --profile acme.');
  });
});

describe('failureOf (MSAL errors)', () => {
  const msalError = (fields: Record<string, unknown>) => Object.assign(new Error(String(fields.errorMessage ?? '')), fields);

  it('prefers the full answer the transport recorded for the correlation id', () => {
    const recorded = { error: 'invalid_grant', errorCodes: [65001], description: desc(65001), suberror: 'consent_required' };
    const log = { get: (id: string) => (id === 'c1' ? recorded : undefined) };
    expect(failureOf(msalError({ errorCode: 'post_request_failed', errorMessage: 'invalid_grant', correlationId: 'c1' }), log)).toBe(recorded);
  });

  it('falls back to what MSAL kept', () => {
    expect(failureOf(msalError({ errorCode: 'post_request_failed', errorMessage: 'authorization_declined', correlationId: 'x' }))).toEqual({ error: 'authorization_declined' });
    expect(failureOf(msalError({ errorCode: 'invalid_grant', errorMessage: desc(700082), errorNo: '700082', subError: '' }))).toEqual({ error: 'invalid_grant', description: desc(700082), errorCodes: [700082] });
    expect(failureOf(msalError({ errorCode: 'no_tokens_found', errorMessage: 'none' })).error).toBe('not_signed_in');
    expect(failureOf(msalError({ errorCode: 'device_code_expired', errorMessage: 'expired' })).error).toBe('expired_token');
  });
});

describe('sign-in errors worded for the bundle', () => {
  it("name the extension's settings, not variables or commands a bundle user does not have", () => {
    const bundle = { bundle: 'mcpb' as const };
    const err = signInErrorFrom({ error: 'unauthorized_client', errorCodes: [700016] }, 'ol_login_begin', (v) => settingName(bundle, v));
    expect(err.message).not.toMatch(/OUTLOOK_CLIENT_ID|OUTLOOK_TENANT_ID|mcp-server-outlook/);
    const cli = signInErrorFrom({ error: 'unauthorized_client', errorCodes: [700016] }, 'mcp-server-outlook login');
    expect(cli.message).toMatch(/OUTLOOK_/);
  });
});
