/** Where the Graph client gets its bearer token; implemented per connection by the msal-backed token provider. */
export interface TokenSource {
  /** A valid access token, renewed before it expires; concurrent callers share one in-flight request. */
  getAccessToken(options?: { signal?: AbortSignal }): Promise<string>;
  /** Drops the cached token (after Graph answered 401 InvalidAuthenticationToken), so the next call fetches anew. */
  invalidate(): void;
}
