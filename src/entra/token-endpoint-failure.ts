/**
 * The error body of the Microsoft identity platform's token endpoint, as far as gatehouse reads it.
 * https://learn.microsoft.com/entra/identity-platform/reference-error-codes (facts D.3)
 */
export interface TokenErrorBody {
  error?: string;
  error_description?: string;
  error_codes?: number[];
  timestamp?: string;
  trace_id?: string;
  correlation_id?: string;
  suberror?: string;
}

/**
 * What went wrong on the wire during one token request, kept by the network client because msal keeps only the
 * first AADSTS number and hides the server's trace and correlation ids inside its message text (facts A.5).
 */
export type TokenEndpointFailure =
  /** The endpoint answered with a JSON error body (any status). */
  | {
      readonly kind: 'error-body';
      readonly status: number;
      readonly body: TokenErrorBody;
      readonly retryAfterSeconds?: number;
    }
  /** The endpoint answered, but not with JSON (an HTML error page from a proxy, a 502 from a load balancer). */
  | { readonly kind: 'not-json'; readonly status: number; readonly contentType: string }
  /** No answer: DNS, refused connection, TLS failure or timeout. */
  | { readonly kind: 'unreachable'; readonly origin: string; readonly reason: string; readonly timedOut: boolean };

/** Reads a token-endpoint error body leniently: unknown fields are ignored, wrongly typed known fields dropped. */
export function parseTokenErrorBody(value: unknown): TokenErrorBody | undefined {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const body: TokenErrorBody = {};
  for (const key of ['error', 'error_description', 'timestamp', 'trace_id', 'correlation_id', 'suberror'] as const) {
    const field = record[key];
    if (typeof field === 'string') body[key] = field;
  }
  const codes = record.error_codes;
  if (Array.isArray(codes)) body.error_codes = codes.map(Number).filter((code) => Number.isInteger(code));
  return body;
}

/** True when the body is an OAuth error response (msal treats any of these fields as an error, facts A.3). */
export function isTokenErrorBody(value: unknown): boolean {
  if (typeof value !== 'object' || value === null) return false;
  return 'error' in value || 'error_description' in value || 'suberror' in value;
}
