import { graphScope } from '../connections/entra-id/clouds.js';
import type { EntraSettings } from '../connections/entra-id/entra-settings.js';
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { type CredentialClient, createCredentialClient } from './credential-client.js';
import { explainFederationError } from './federation-error.js';
import type { MsalClientApplication } from './msal-client-application.js';
import { mapMsalError } from './msal-error-map.js';
import { decodeTokenClaims } from './token-claims.js';
import type { TokenSource } from './token-source.js';

/** A token as gatehouse holds it. The value is handed to Graph and nowhere else. */
export interface AccessToken {
  readonly accessToken: string;
  readonly obtainedAt: Date;
  readonly expiresAt: Date;
}

/** What happened on the last token request; recorded on the connection for `connections show`. */
export type TokenEvent =
  | {
      readonly connectionId: string;
      readonly ok: true;
      readonly obtainedAt: Date;
      readonly expiresAt: Date;
      /** The token's `roles` claim, when it is a JWT. */
      readonly roles?: readonly string[];
    }
  | { readonly connectionId: string; readonly ok: false; readonly at: Date; readonly error: AppError };

export interface TokenProviderOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Token request timeout (default 10 000 ms). */
  readonly timeoutMs?: number;
  /** Told about every token obtained or refused (to record token state); must not throw. */
  readonly onTokenEvent?: (event: TokenEvent) => void;
  /** Random source for the renewal jitter; injected by tests that need determinism. */
  readonly random?: () => number;
}

/** Renew this long before expiry at most (msal itself treats tokens as expired 300 s early, facts A.4). */
const MAX_RENEWAL_MARGIN_MS = 5 * 60_000;
/** Spread renewals of many instances sharing one app over up to this long, so they do not ask at the same moment. */
const MAX_JITTER_MS = 60_000;
/** An old token is still handed out after a failed renewal only while it has at least this long left. */
const MIN_REMAINING_MS = 30_000;

/**
 * The client-credentials token of one connection, on msal-node (facts A). Our own cache decides when to renew
 * (before expiry, with jitter, on the injected clock) and every request to msal skips msal's cache, so renewal and
 * `invalidate()` really fetch. Concurrent callers share one in-flight request. The msal application is rebuilt
 * when the connection's `credentialVersion` changes.
 */
export class TokenProvider implements TokenSource {
  #settings: EntraSettings;
  #client: CredentialClient | undefined;
  #token: (AccessToken & { renewAtMs: number }) | undefined;
  #inflight: Promise<AccessToken> | undefined;
  readonly #options: TokenProviderOptions;

  constructor(settings: EntraSettings, options: TokenProviderOptions) {
    this.#settings = settings;
    this.#options = options;
  }

  get connectionId(): string {
    return this.#settings.connectionId;
  }

  /** Adopts changed settings; a new credentialVersion drops the msal application and the cached token. */
  update(settings: EntraSettings): void {
    const changed = settings.credentialVersion !== this.#settings.credentialVersion;
    this.#settings = settings;
    if (changed) {
      this.#client = undefined;
      this.#token = undefined;
      // New callers must not join a request made with the old credentials.
      this.#inflight = undefined;
    }
  }

  async getAccessToken(options?: { signal?: AbortSignal }): Promise<string> {
    return (await this.getToken(options)).accessToken;
  }

  /** Like getAccessToken, with the expiry (for diagnostics). */
  async getToken(options?: { signal?: AbortSignal }): Promise<AccessToken> {
    options?.signal?.throwIfAborted();
    const now = this.#options.clock.nowMs();
    const cached = this.#token;
    if (cached && now < cached.renewAtMs) return cached;
    if (!this.#inflight) {
      const inflight: Promise<AccessToken> = this.#renew().finally(() => {
        if (this.#inflight === inflight) this.#inflight = undefined;
      });
      this.#inflight = inflight;
    }
    try {
      return await abortable(this.#inflight, options?.signal);
    } catch (error) {
      // A failed renewal must not fail callers while the old token is still good for a while.
      const stillValid = cached && cached === this.#token && cached.expiresAt.getTime() - now > MIN_REMAINING_MS;
      if (stillValid && !(options?.signal?.aborted ?? false)) return cached;
      throw error;
    }
  }

  /**
   * Drops the cached token so the next call fetches a new one (after Graph answered 401). Pass the rejected token
   * to make many concurrent 401s of the same token cause one renewal, not one each.
   */
  invalidate(rejectedToken?: string): void {
    if (rejectedToken !== undefined && this.#token?.accessToken !== rejectedToken) return;
    this.#token = undefined;
  }

  async #renew(): Promise<AccessToken> {
    const settings = this.#settings;
    const client = this.#clientFor(settings);
    const logger = this.#options.logger.child({ connectionId: settings.connectionId });
    const startedMs = this.#options.clock.nowMs();
    try {
      const token = await client.acquire();
      const lifetimeMs = Math.max(0, token.expiresAt.getTime() - token.obtainedAt.getTime());
      // Times come from msal on the wall clock; re-base them on our clock so a ManualClock drives expiry.
      const obtainedAt = new Date(startedMs);
      const expiresAt = new Date(startedMs + lifetimeMs);
      const renewAtMs = startedMs + lifetimeMs - this.#renewalMarginMs(lifetimeMs);
      // Cache it only if the credentials did not change while the request was out.
      if (settings.credentialVersion === this.#settings.credentialVersion) {
        this.#token = { accessToken: token.accessToken, obtainedAt, expiresAt, renewAtMs };
      }
      logger.debug({ expiresAt: expiresAt.toISOString() }, 'token obtained');
      const roles = decodeTokenClaims(token.accessToken)?.roles;
      this.#options.onTokenEvent?.({
        connectionId: settings.connectionId,
        ok: true,
        obtainedAt,
        expiresAt,
        ...(roles ? { roles } : {}),
      });
      return { accessToken: token.accessToken, obtainedAt, expiresAt };
    } catch (error) {
      const appError = error instanceof AppError ? error : mapMsalError(error, undefined, contextOf(settings));
      logger.warn({ code: appError.code, details: appError.details }, 'token request failed');
      this.#options.onTokenEvent?.({
        connectionId: settings.connectionId,
        ok: false,
        at: new Date(this.#options.clock.nowMs()),
        error: appError,
      });
      throw appError;
    }
  }

  /** Half the lifetime for short-lived tokens, else 5 minutes, minus up to a minute (or 10%) of jitter. */
  #renewalMarginMs(lifetimeMs: number): number {
    const margin = Math.min(MAX_RENEWAL_MARGIN_MS, lifetimeMs / 2);
    const jitter = Math.min(MAX_JITTER_MS, lifetimeMs / 10) * (this.#options.random ?? Math.random)();
    return margin + jitter;
  }

  #clientFor(settings: EntraSettings): CredentialClient {
    this.#client ??= createCredentialClient(settings, {
      logger: this.#options.logger,
      ...(this.#options.timeoutMs === undefined ? {} : { timeoutMs: this.#options.timeoutMs }),
    });
    return this.#client;
  }
}

/**
 * One client-credentials request through `client`, bypassing msal's cache; errors are mapped to AppErrors with
 * the wire details. Also used by the doctor with a fresh application (msal's throttle cache, facts A.5).
 */
export async function acquireToken(client: MsalClientApplication, settings: EntraSettings): Promise<AccessToken> {
  const requestedAt = new Date();
  let result: Awaited<ReturnType<typeof client.app.acquireTokenByClientCredential>>;
  try {
    result = await client.app.acquireTokenByClientCredential({ scopes: [graphScope(settings.cloud)], skipCache: true });
  } catch (error) {
    const correlationId = (error as { correlationId?: unknown } | null)?.correlationId;
    const failure = client.network.takeFailure(typeof correlationId === 'string' ? correlationId : undefined);
    const presented = client.assertion?.lastAssertion();
    const context = contextOf(settings, presented ? [presented] : []);
    const mapped = mapMsalError(error, failure, context);
    throw client.assertion ? explainFederationError(mapped, client.assertion, settings.clientId) : mapped;
  }
  if (!result?.accessToken) {
    throw new AppError('ENTRA_TOKEN_ERROR', {
      message: `Entra ID answered the token request of connection '${settings.connectionName}' without an access token.`,
      details: { reason: 'empty_access_token' },
    });
  }
  return {
    accessToken: result.accessToken,
    obtainedAt: requestedAt,
    expiresAt: result.expiresOn ?? new Date(requestedAt.getTime() + 3_599_000),
  };
}

/** Names the connection, and lists what must be scrubbed from Microsoft's texts: the secret, key or assertion. */
export function contextOf(
  settings: EntraSettings,
  extraSecrets: readonly string[] = [],
): { connectionName: string; secretValues: string[] } {
  const credential = settings.credential;
  const secrets =
    credential.kind === 'secret'
      ? [credential.secret.reveal()]
      : credential.kind === 'certificate'
        ? [credential.privateKey.reveal()]
        : [];
  return { connectionName: settings.connectionName, secretValues: [...secrets, ...extraSecrets] };
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}
