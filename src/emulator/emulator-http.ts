/** The emulator's transport-neutral request/response, so `$batch` can dispatch inner requests in-process. */
export interface EmulatorRequest {
  readonly method: string;
  /** Absolute URL on the emulator's own origin as the client reached it (nextLinks are built from it). */
  readonly url: URL;
  /** Lower-case header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly body: Buffer;
}

export interface EmulatorResponse {
  status: number;
  headers: Record<string, string>;
  /** JSON value (serialised by the server), or undefined for an empty body (204). */
  body?: unknown;
}

/** Who made a request, as far as the emulator could tell (the token's app, or the client_id of a token request). */
export interface RequestIdentity {
  clientId?: string;
  /** AADSTS code or Graph `error.code` of a failure, for the request log. */
  errorCode?: string;
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): EmulatorResponse {
  return { status, headers: { 'content-type': 'application/json; charset=utf-8', ...headers }, body };
}
