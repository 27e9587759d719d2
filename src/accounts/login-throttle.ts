import { createHash } from 'node:crypto';
import type { Clock } from '../core/clock.js';

/**
 * Login throttling that holds under concurrency and across instances (issue 12, findings 2 and 5).
 *
 * Every attempt is counted BEFORE the password is verified: the attempt reserves a slot on each of its keys with a
 * compare-and-set on the key's record, so sixty concurrent attempts get exactly as many verifications as the policy
 * allows, whatever the interleaving (and several instances sharing a PostgreSQL store agree, the records live in the
 * store). A success forgets the failures of the user and of the (user, address) pair.
 *
 * There is no hard lockout: after `free` attempts a key waits `baseMs * 2^(failures - free)`, capped at `maxMs`.
 * The keys are checked in order (user, address) → address → user, and a refusal stops there, so an attacker hammering
 * one account from one address exhausts only that pair and stops consuming the account's own budget; the account's
 * cap is short (default 1 minute), so its owner, from another address, gets in after at most that long.
 *
 * Records are keyed by a SHA-256 of the key (never the attacker's text), and pruned once their failures are forgotten:
 * the store holds at most one row per key touched in the last `maxMs + resetMs`.
 */
export interface ThrottlePolicy {
  /** Attempts allowed without delay. */
  readonly free: number;
  /** First delay once the free attempts are used. */
  readonly baseMs: number;
  /** Longest delay. */
  readonly maxMs: number;
  /** Failures are forgotten this long after the key's last delay ended. */
  readonly resetMs: number;
}

export interface ThrottleRecord {
  readonly failures: number;
  /** ms since the epoch. */
  readonly nextAllowedAt: number;
  /** The `nextAllowedAt` of the block whose first refusal was already reported (aggregated audit rows). */
  readonly reportedBlock: number;
  /** Incremented by every write: the compare-and-set token. */
  readonly version: number;
}

/** Where the records live: the store (SQLite or PostgreSQL, src/store/login-throttle-repository.ts) or memory. */
export interface LoginThrottleStore {
  get(key: string): Promise<ThrottleRecord | undefined>;
  /** Writes `next` when the stored record still has `expectedVersion` (0 = absent); true when written. */
  compareAndSet(key: string, expectedVersion: number, next: ThrottleRecord, expiresAt: number): Promise<boolean>;
  delete(keys: readonly string[]): Promise<void>;
  /** Removes records whose `expiresAt` has passed. */
  prune(now: number): Promise<void>;
}

export type ThrottleScope = 'user' | 'address' | 'user-address';

export type ThrottleDecision =
  | { readonly allowed: true }
  | {
      readonly allowed: false;
      readonly retryAfterSeconds: number;
      readonly scope: ThrottleScope;
      /** True for the first refusal of this key's current block only: one audit row per window, not per attempt. */
      readonly firstInWindow: boolean;
    };

export interface LoginThrottleOptions {
  clock: Clock;
  store?: LoginThrottleStore;
  /** Free attempts per user and per (user, address) (default 5); an address gets four times as many. */
  maxFailures?: number;
  userPolicy?: Partial<ThrottlePolicy>;
  pairPolicy?: Partial<ThrottlePolicy>;
  addressPolicy?: Partial<ThrottlePolicy>;
}

const MINUTE = 60_000;
/** Compare-and-set rounds before an attempt is refused (fail closed under extreme contention). */
const MAX_ROUNDS = 50;
const PRUNE_EVERY_MS = MINUTE;

export function throttleDelayMs(failures: number, policy: ThrottlePolicy): number {
  if (failures < policy.free) return 0;
  const exponent = Math.min(failures - policy.free, 40);
  return Math.min(policy.maxMs, policy.baseMs * 2 ** exponent);
}

function keyHash(kind: ThrottleScope, ...parts: string[]): string {
  return `${kind}:${createHash('sha256').update(parts.join('\u0000')).digest('base64url')}`;
}

/** Records in memory (one process; tests and stores without the table); bounded by pruning and a size cap. */
export function createMemoryThrottleStore(maxEntries = 10_000): LoginThrottleStore & { size(): number } {
  const records = new Map<string, { record: ThrottleRecord; expiresAt: number }>();
  return {
    size: () => records.size,
    async get(key) {
      return records.get(key)?.record;
    },
    async compareAndSet(key, expectedVersion, next, expiresAt) {
      if ((records.get(key)?.record.version ?? 0) !== expectedVersion) return false;
      records.delete(key);
      records.set(key, { record: next, expiresAt });
      // Oldest first: Map keeps insertion order, and every write re-inserts.
      while (records.size > maxEntries) records.delete(records.keys().next().value as string);
      return true;
    },
    async delete(keys) {
      for (const key of keys) records.delete(key);
    },
    async prune(now) {
      for (const [key, entry] of records) if (entry.expiresAt <= now) records.delete(key);
    },
  };
}

export function createLoginThrottle(options: LoginThrottleOptions) {
  const { clock } = options;
  const store = options.store ?? createMemoryThrottleStore();
  const free = options.maxFailures ?? 5;
  const policies: Record<ThrottleScope, ThrottlePolicy> = {
    'user-address': { free, baseMs: 30_000, maxMs: 15 * MINUTE, resetMs: 15 * MINUTE, ...options.pairPolicy },
    address: { free: free * 4, baseMs: 30_000, maxMs: 15 * MINUTE, resetMs: 15 * MINUTE, ...options.addressPolicy },
    user: { free, baseMs: 5_000, maxMs: MINUTE, resetMs: 15 * MINUTE, ...options.userPolicy },
  };
  let lastPrune = 0;

  function keysOf(username: string, address: string | undefined): [ThrottleScope, string][] {
    return [
      ...(address ? ([['user-address', keyHash('user-address', username, address)]] as [ThrottleScope, string][]) : []),
      ...(address ? ([['address', keyHash('address', address)]] as [ThrottleScope, string][]) : []),
      ['user', keyHash('user', username)],
    ];
  }

  /** Takes one slot on `key`, or says how long to wait. */
  async function take(scope: ThrottleScope, key: string): Promise<ThrottleDecision> {
    const policy = policies[scope];
    for (let round = 0; round < MAX_ROUNDS; round++) {
      const now = clock.nowMs();
      const stored = await store.get(key);
      const version = stored?.version ?? 0;
      const forgotten = !stored || now >= stored.nextAllowedAt + policy.resetMs;
      const current = forgotten ? { failures: 0, nextAllowedAt: 0, reportedBlock: 0 } : stored;
      if (now < current.nextAllowedAt) {
        const retryAfterSeconds = Math.max(1, Math.ceil((current.nextAllowedAt - now) / 1000));
        if (current.reportedBlock === current.nextAllowedAt) {
          return { allowed: false, retryAfterSeconds, scope, firstInWindow: false };
        }
        const reported = { ...current, reportedBlock: current.nextAllowedAt, version: version + 1 };
        if (await store.compareAndSet(key, version, reported, current.nextAllowedAt + policy.resetMs)) {
          return { allowed: false, retryAfterSeconds, scope, firstInWindow: true };
        }
        continue;
      }
      const failures = current.failures + 1;
      const nextAllowedAt = now + throttleDelayMs(failures, policy);
      const next = { failures, nextAllowedAt, reportedBlock: current.reportedBlock, version: version + 1 };
      if (await store.compareAndSet(key, version, next, nextAllowedAt + policy.resetMs)) return { allowed: true };
    }
    return { allowed: false, retryAfterSeconds: 1, scope, firstInWindow: false };
  }

  async function pruneNow(now: number): Promise<void> {
    if (now - lastPrune < PRUNE_EVERY_MS) return;
    lastPrune = now;
    await store.prune(now);
  }

  return {
    /**
     * Counts an attempt of `username` from `address` before its password is checked. Allowed: go on and verify,
     * then call `succeeded` if it matched. Refused: answer AUTH_RATE_LIMITED without verifying anything.
     */
    async reserve(username: string, address: string | undefined): Promise<ThrottleDecision> {
      await pruneNow(clock.nowMs());
      for (const [scope, key] of keysOf(username, address)) {
        const decision = await take(scope, key);
        if (!decision.allowed) return decision;
      }
      return { allowed: true };
    },

    /** The password matched: forget the failures of the user and of this (user, address) pair. */
    async succeeded(username: string, address: string | undefined): Promise<void> {
      await store.delete(
        keysOf(username, address)
          .filter(([scope]) => scope !== 'address')
          .map(([, key]) => key),
      );
    },
  };
}

export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
