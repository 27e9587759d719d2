/** `login_throttle`: failed-login counters per hashed key (user, address, pair); see src/accounts/login-throttle.ts. */
export interface LoginThrottleTable {
  /** `<scope>:<sha256 base64url>`, never the user name or address itself. */
  key: string;
  failures: number;
  /** ISO-8601 UTC. */
  next_allowed_at: string;
  /** ISO-8601 UTC (epoch when none was reported). */
  reported_block: string;
  version: number;
  /** ISO-8601 UTC: the row is pruned after this. */
  expires_at: string;
}
