/**
 * The network-level reason a request to Entra failed (ECONNREFUSED, ENOTFOUND, certificate errors, AbortError), never
 * a request body: what both msal network clients record for an unreachable host.
 */
export function networkFailureReason(error: unknown): string {
  if (error instanceof DOMException) return error.name;
  if (error instanceof Error) {
    const cause = error.cause as { code?: unknown } | undefined;
    if (cause && typeof cause.code === 'string') return cause.code;
    return error.name;
  }
  return 'unknown';
}
