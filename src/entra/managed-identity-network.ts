import { AsyncLocalStorage } from 'node:async_hooks';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';
import { networkFailureReason } from './network-failure-reason.js';

/** What went wrong on the wire during one managed-identity token request (never a token or a header value). */
export type ManagedIdentityFailure =
  | {
      readonly kind: 'error-body';
      readonly status: number;
      /** IMDS `error` (e.g. invalid_request, bad_request_102), or App Service's statusCode as text. */
      readonly error?: string;
      readonly description?: string;
    }
  | { readonly kind: 'not-json'; readonly status: number }
  | { readonly kind: 'unreachable'; readonly origin: string; readonly reason: string; readonly timedOut: boolean };

/** One acquisition: its deadline and the last failure seen, shared by msal's retries of that acquisition. */
export interface ManagedIdentityCall {
  readonly deadlineMs: number;
  readonly timeoutMs: number;
  origin?: string;
  requests: number;
  failure?: ManagedIdentityFailure;
}

const calls = new AsyncLocalStorage<ManagedIdentityCall>();

/** Runs `fn` (an msal managed-identity acquisition) with a deadline its every request and retry honours. */
export function withManagedIdentityCall<T>(call: ManagedIdentityCall, fn: () => Promise<T>): Promise<T> {
  return calls.run(call, fn);
}

/**
 * msal-node keeps the managed-identity source, and with it the network client of the FIRST
 * ManagedIdentityApplication, in static fields for the life of the process (facts H.4). So there is one network
 * client per process, and the per-acquisition state (deadline, failure) travels in an AsyncLocalStorage context
 * instead of in the client. msal's IMDS retries (3x, 1–4 s apart) stop at the deadline: timeouts in seconds.
 */
export const managedIdentityNetwork: INetworkModule = {
  sendGetRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>('GET', url, options),
  sendPostRequestAsync: <T>(url: string, options?: NetworkRequestOptions) => send<T>('POST', url, options),
};

const DEFAULT_TIMEOUT_MS = 10_000;

async function send<T>(
  method: 'GET' | 'POST',
  url: string,
  options?: NetworkRequestOptions,
): Promise<NetworkResponse<T>> {
  const call = calls.getStore();
  const origin = new URL(url).origin;
  if (call) {
    call.origin = origin;
    call.requests++;
  }
  const remaining = call ? call.deadlineMs - Date.now() : DEFAULT_TIMEOUT_MS;
  const remember = (failure: ManagedIdentityFailure) => {
    if (call) call.failure = failure;
  };
  if (remaining <= 0) {
    remember({ kind: 'unreachable', origin, reason: 'deadline', timedOut: true });
    throw new Error(`Managed identity endpoint ${origin}: deadline passed`);
  }
  let response: Response;
  let text: string;
  try {
    response = await fetch(url, {
      method,
      headers: options?.headers,
      body: method === 'POST' ? options?.body : undefined,
      signal: AbortSignal.timeout(remaining),
      redirect: 'manual',
    });
    text = await response.text();
  } catch (error) {
    const timedOut = error instanceof DOMException && error.name === 'TimeoutError';
    remember({ kind: 'unreachable', origin, reason: networkFailureReason(error), timedOut });
    throw new Error(`Managed identity endpoint unreachable: ${origin}`);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    body = undefined;
  }
  if (typeof body !== 'object' || body === null) {
    remember({ kind: 'not-json', status: response.status });
    throw new Error(`Managed identity endpoint answered HTTP ${response.status} without JSON`);
  }
  if (!response.ok) remember(errorFailure(response.status, body as Record<string, unknown>));
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  return { status: response.status, headers, body: body as T };
}

/** IMDS: `{error, error_description}`; App Service: `{statusCode, message}` (facts H.4). */
function errorFailure(status: number, body: Record<string, unknown>): ManagedIdentityFailure {
  const error =
    typeof body.error === 'string'
      ? body.error
      : typeof body.statusCode === 'number'
        ? String(body.statusCode)
        : undefined;
  const text =
    typeof body.error_description === 'string'
      ? body.error_description
      : typeof body.message === 'string'
        ? body.message
        : undefined;
  return {
    kind: 'error-body',
    status,
    ...(error ? { error } : {}),
    ...(text ? { description: (text.split(/\r?\n/)[0] ?? '').slice(0, 300) } : {}),
  };
}
