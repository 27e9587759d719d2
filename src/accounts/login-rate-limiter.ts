import type { Clock } from '../core/clock.js';

export interface LoginRateLimiterOptions {
  clock: Clock;
  /** Failed attempts allowed per key inside the window (default 5). */
  maxFailures?: number;
  /** Window length (default 15 minutes). */
  windowMs?: number;
}

/**
 * Counts failed logins per key (the username, and separately the client address) in a fixed window, so password
 * guessing is slowed whichever of the two an attacker varies. In memory: one server process owns its counters,
 * which is enough for the embedded default; a restart resets them.
 */
export class LoginRateLimiter {
  private readonly failures = new Map<string, { count: number; windowStart: number }>();
  private readonly maxFailures: number;
  private readonly windowMs: number;

  constructor(private readonly options: LoginRateLimiterOptions) {
    this.maxFailures = options.maxFailures ?? 5;
    this.windowMs = options.windowMs ?? 15 * 60_000;
  }

  /** Seconds until `key` may try again, or 0 when it may try now. */
  retryAfterSeconds(key: string): number {
    const entry = this.current(key);
    if (!entry || entry.count < this.maxFailures) return 0;
    return Math.ceil((entry.windowStart + this.windowMs - this.options.clock.nowMs()) / 1000);
  }

  recordFailure(key: string): void {
    const entry = this.current(key);
    if (entry) entry.count += 1;
    else this.failures.set(key, { count: 1, windowStart: this.options.clock.nowMs() });
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private current(key: string) {
    const entry = this.failures.get(key);
    if (entry && this.options.clock.nowMs() - entry.windowStart >= this.windowMs) {
      this.failures.delete(key);
      return undefined;
    }
    return entry;
  }
}
