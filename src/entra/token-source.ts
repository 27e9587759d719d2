/** Where the Graph client gets its bearer token; implemented per connection by the msal-backed token provider. */
export interface TokenSource {
  /** A valid access token, renewed before it expires; concurrent callers share one in-flight request. */
  getAccessToken(options?: { signal?: AbortSignal }): Promise<string>;
  /**
   * Drops the cached token (after Graph answered 401 InvalidAuthenticationToken), so the next call fetches anew.
   * Pass the token Graph rejected: when many concurrent calls see the same 401, only the first invalidation drops
   * it and the others reuse the renewed token, instead of each forcing one more token request.
   */
  invalidate(rejectedToken?: string): void;
}
