import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { networkFailureReason } from './network-failure-reason.js';
import { isTokenErrorBody, parseTokenErrorBody, type TokenEndpointFailure } from './token-endpoint-failure.js';

export interface TokenNetworkClientOptions {
  /**
   * Send requests for this https origin to this http origin instead. Only for an `http://` AuthorityHost on a
   * loopback address: msal refuses http authorities (facts A.1.1), so it is configured with the https spelling
   * of the same host:port and the transport goes plain http underneath.
   */
  readonly rewrite?: { readonly from: string; readonly to: string };
  /** Per-request timeout (default 10 000 ms). msal-node 7 sets none of its own on the token POST. */
  readonly timeoutMs?: number;
  /** Injected for tests of the transport itself; defaults to the global fetch. */
  readonly fetch?: typeof fetch;
}

const DEFAULT_TIMEOUT_MS = 10_000;
/** Failures are kept until the token provider reads them; a bound keeps a misbehaving caller from growing it. */
const MAX_KEPT_FAILURES = 64;

/**
 * msal's `system.networkClient` (facts A.1.7), on `fetch`: adds timeouts, throws on non-JSON bodies (msal would
 * otherwise accept `{}` as a token, facts A.1.7) and keeps what went wrong per request (all AADSTS numbers, trace
 * and correlation ids, HTTP status) under msal's correlation id, because msal's own error keeps only the first code.
 */
export class TokenNetworkClient implements INetworkModule {
  readonly #options: TokenNetworkClientOptions;
  readonly #failures = new Map<string, TokenEndpointFailure>();

  constructor(options: TokenNetworkClientOptions = {}) {
    this.#options = options;
  }

  /** The failure recorded for msal's request `correlationId` (msal errors carry it), removed once read. */
  takeFailure(correlationId: string | undefined): TokenEndpointFailure | undefined {
    const key = correlationId ?? '';
    const failure = this.#failures.get(key);
    this.#failures.delete(key);
    return failure;
  }

  sendGetRequestAsync<T>(url: string, options?: NetworkRequestOptions, timeout?: number): Promise<NetworkResponse<T>> {
    return this.#send<T>('GET', url, options, timeout);
  }

  sendPostRequestAsync<T>(url: string, options?: NetworkRequestOptions): Promise<NetworkResponse<T>> {
    return this.#send<T>('POST', url, options, undefined);
  }

  async #send<T>(
    method: 'GET' | 'POST',
    url: string,
    options: NetworkRequestOptions | undefined,
    timeoutMs: number | undefined,
  ): Promise<NetworkResponse<T>> {
    const target = this.#rewrite(url);
    const correlationId = options?.correlationId ?? '';
    const doFetch = this.#options.fetch ?? fetch;
    let response: Response;
    let text: string;
    try {
      response = await doFetch(target, {
        method,
        headers: options?.headers,
        body: method === 'POST' ? options?.body : undefined,
        signal: AbortSignal.timeout(timeoutMs ?? this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS),
        redirect: 'manual',
      });
      text = await response.text();
    } catch (error) {
      const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
      this.#remember(correlationId, {
        kind: 'unreachable',
        origin: new URL(target).origin,
        reason: networkFailureReason(error),
        timedOut,
      });
      throw new Error(`Token endpoint unreachable: ${new URL(target).origin}`);
    }
    const body = parseJson(text);
    const contentType = response.headers.get('content-type') ?? '';
    if (body === undefined || typeof body !== 'object' || body === null) {
      this.#remember(correlationId, { kind: 'not-json', status: response.status, contentType });
      throw new Error(`Token endpoint answered HTTP ${response.status} without a JSON body`);
    }
    if (!response.ok || isTokenErrorBody(body)) this.#rememberErrorBody(correlationId, response, body);
    return { status: response.status, headers: headersRecord(response.headers), body: body as T };
  }

  #rememberErrorBody(correlationId: string, response: Response, body: object): void {
    const retryAfter = Number(response.headers.get('retry-after'));
    this.#remember(correlationId, {
      kind: 'error-body',
      status: response.status,
      body: parseTokenErrorBody(body) ?? {},
      ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retryAfterSeconds: retryAfter } : {}),
    });
  }

  #remember(correlationId: string, failure: TokenEndpointFailure): void {
    if (this.#failures.size >= MAX_KEPT_FAILURES) {
      const oldest = this.#failures.keys().next().value;
      if (oldest !== undefined) this.#failures.delete(oldest);
    }
    this.#failures.set(correlationId, failure);
  }

  #rewrite(url: string): string {
    const rewrite = this.#options.rewrite;
    if (!rewrite) return url;
    const parsed = new URL(url);
    if (parsed.origin !== rewrite.from) return url;
    return rewrite.to + parsed.pathname + parsed.search;
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function headersRecord(headers: Headers): Record<string, string> {
  const record: Record<string, string> = {};
  headers.forEach((value, key) => {
    record[key.toLowerCase()] = value;
  });
  return record;
}
