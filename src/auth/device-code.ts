/**
 * One device-code sign-in in progress. MSAL's `acquireTokenByDeviceCode`
 * announces the code through a callback and then polls until the person has
 * entered it; this wraps that call so the code is available as soon as the
 * callback fires (a tool can answer at once) while polling goes on in the
 * background, and so the attempt can be cancelled (MSAL: `cancel = true` on
 * the same request object) and joined by a second caller.
 */
import { randomUUID } from 'node:crypto';
import type { AuthenticationResult, DeviceCodeRequest } from '@azure/msal-node';
import { SignInError } from './entra-errors.js';

export type LoginState = 'starting' | 'pending' | 'signed_in' | 'failed' | 'cancelled';

/** What the person must do: open the URL and enter the code. */
export interface DeviceCodePrompt {
  readonly userCode: string;
  readonly verificationUri: string;
  /** Entra's own instruction sentence. */
  readonly message: string;
  readonly expiresAt: Date;
}

/** Who signed in, with what. */
export interface LoginOutcome {
  /** `Name <user@contoso.com>`. */
  readonly account: string;
  readonly username: string;
  readonly tenantId: string;
  readonly personal: boolean;
  /** Permissions the new token holds. */
  readonly scopes: string[];
  /** Requested permissions the token does not hold (an administrator may have withheld them). */
  readonly missing: string[];
}

export interface LoginSessionHooks {
  /** Runs MSAL's device-code call with the request (the same object is later used to cancel). */
  acquire(request: DeviceCodeRequest): Promise<AuthenticationResult | null>;
  /** Turns a success into the outcome (and tidies the cache). */
  succeeded(result: AuthenticationResult): Promise<LoginOutcome>;
  /** Explains a failure; `correlationId` finds Entra's full answer. */
  failed(err: unknown, correlationId: string): SignInError;
  scopes: string[];
  now: () => Date;
}

/** A device-code sign-in attempt. */
export class LoginSession {
  readonly id = randomUUID();
  readonly correlationId = randomUUID();
  state: LoginState = 'starting';
  prompt?: DeviceCodePrompt;
  outcome?: LoginOutcome;
  error?: SignInError;
  /** Resolves once the code is known or the attempt ended (never rejects). */
  readonly prompted: Promise<void>;
  /** Resolves when the attempt ended, whatever the result (never rejects). */
  readonly finished: Promise<void>;
  private request?: DeviceCodeRequest;
  private markPrompted!: () => void;
  private markFinished!: () => void;

  constructor(private readonly hooks: LoginSessionHooks) {
    this.prompted = new Promise<void>((r) => (this.markPrompted = r));
    this.finished = new Promise<void>((r) => (this.markFinished = r));
  }

  /** Still starting or waiting for the person. */
  get active(): boolean {
    return this.state === 'starting' || this.state === 'pending';
  }

  /** Starts polling; resolves when the attempt ended (never rejects). */
  async run(): Promise<void> {
    const request: DeviceCodeRequest = {
      scopes: this.hooks.scopes,
      correlationId: this.correlationId,
      deviceCodeCallback: (r) => {
        if (!this.active) return;
        if (!r.userCode || !r.verificationUri) {
          // MSAL does not check the device-code answer for an error; stop it from polling with no code.
          request.cancel = true;
          this.end('failed', this.hooks.failed(new Error('The sign-in service did not issue a device code.'), this.correlationId));
          return;
        }
        this.prompt = {
          userCode: r.userCode,
          verificationUri: r.verificationUri,
          message: r.message,
          expiresAt: new Date(this.hooks.now().getTime() + r.expiresIn * 1000),
        };
        this.state = 'pending';
        this.markPrompted();
      },
    };
    this.request = request;
    if (!this.active) return;
    try {
      const result = await this.hooks.acquire(request);
      if (!this.active) return;
      if (!result) throw new Error('The sign-in returned no token.');
      this.outcome = await this.hooks.succeeded(result);
      this.end('signed_in');
    } catch (err) {
      if (this.active) this.end('failed', err instanceof SignInError ? err : this.hooks.failed(err, this.correlationId));
    }
  }

  /** Stops waiting for this code (MSAL stops at its next poll). */
  cancel(): void {
    if (!this.active) return;
    if (this.request) this.request.cancel = true;
    this.end('cancelled');
  }

  private end(state: Exclude<LoginState, 'starting' | 'pending'>, error?: SignInError): void {
    this.state = state;
    if (error) this.error = error;
    this.markPrompted();
    this.markFinished();
  }
}
