/**
 * The behaviours of the real service that a client must survive (product.md §9.1, src/emulator/README.md "Realism"),
 * each on its own switch so a test can turn one on alone. `realistic` turns them all on; `exact` keeps the
 * emulator deterministic (page and request counts a test can assert). Every random choice is drawn from a
 * generator seeded by the emulator's seed, so a run is reproducible.
 */
export interface RealismSettings {
  /** Per-write visibility delay, drawn uniformly from [min, max] ms (0–0 = every write visible at once). */
  replicationLagMs: { min: number; max: number };
  /**
   * Soft-deleted users keep their group memberships, do not appear in groups delta until permanently deleted, and
   * a restore brings the memberships back without a groups-delta entry (concepts/delta-query-groups.md).
   * false = memberships are dropped at soft delete (the emulator before issue 11).
   */
  softDeleteKeepsMemberships: boolean;
  /** false = a permanent delete of a member never shows in its groups' `members@delta` (a real-world quirk). */
  permanentDeleteInMembersDelta: boolean;
  /** How an expired or invalidated delta token answers: 410 `resyncRequired` (Location) or 400 `syncStateNotFound`. */
  expiredDeltaToken: 'resyncRequired' | 'syncStateNotFound';
  /** A split group's pages are interleaved with other objects anywhere in the round (not consecutive). */
  interleaveSplitGroups: boolean;
  /** Fraction of the objects a round reported that the next round reports again (unchanged replays). */
  crossRoundReplayRate: number;
  /** A first (initial) round may carry `@removed` entries for objects deleted before it started. */
  removedInFirstRound: boolean;
  /** Never-set properties are left out of delta entries (true) instead of being sent as `null`. */
  omitUnsetProperties: boolean;
  /** `groups/delta` without `$select` includes `members@delta` (as Graph does). */
  membersDeltaByDefault: boolean;
  /** `$batch` responses come back in a seeded random order (independent items run in parallel). */
  shuffleBatchResponses: boolean;
  /** Fraction (0–1) of Graph requests (batch items included) answered 429 below the budgets. */
  randomThrottleRate: number;
  /** Retry-After on injected 429s: `integer` ("1") or `varied` (fractional such as "2.128", or absent). */
  retryAfterStyle: 'integer' | 'varied';
  /**
   * Strict input: `$filter` only on supported properties/operators (else 400 Request_UnsupportedQuery), object ids
   * must be GUIDs (400 "Invalid object identifier"), UPN/mailNickname character rules, `$expand=members` ≤ 20.
   */
  strictInput: boolean;
  /** Access-token lifetime, seconds, drawn per token from [min, max] (Entra: 60–90 minutes, randomised). */
  tokenLifetimeSeconds: { min: number; max: number };
}

export type EmulatorProfile = 'realistic' | 'exact';

export function profileSettings(profile: EmulatorProfile): RealismSettings {
  if (profile === 'realistic') {
    return {
      replicationLagMs: { min: 0, max: 3000 },
      softDeleteKeepsMemberships: true,
      permanentDeleteInMembersDelta: true,
      expiredDeltaToken: 'resyncRequired',
      interleaveSplitGroups: true,
      // Microsoft documents replays but no rate: 5% of a round's objects is plausible, not maximal.
      crossRoundReplayRate: 0.05,
      removedInFirstRound: true,
      omitUnsetProperties: true,
      membersDeltaByDefault: true,
      shuffleBatchResponses: true,
      // No documented rate for 429s below the budgets: 1 request in 50.
      randomThrottleRate: 0.02,
      retryAfterStyle: 'varied',
      strictInput: true,
      tokenLifetimeSeconds: { min: 3600, max: 5400 },
    };
  }
  return {
    replicationLagMs: { min: 0, max: 0 },
    softDeleteKeepsMemberships: false,
    permanentDeleteInMembersDelta: true,
    expiredDeltaToken: 'resyncRequired',
    interleaveSplitGroups: false,
    crossRoundReplayRate: 0,
    removedInFirstRound: false,
    omitUnsetProperties: false,
    membersDeltaByDefault: false,
    shuffleBatchResponses: false,
    randomThrottleRate: 0,
    retryAfterStyle: 'integer',
    strictInput: false,
    tokenLifetimeSeconds: { min: 3599, max: 3599 },
  };
}

/** mulberry32 over a 32-bit seed: small, fast, reproducible. */
export class Mulberry {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return max <= min ? min : min + Math.floor(this.next() * (max - min + 1));
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = Math.floor(this.next() * (i + 1));
      [items[i], items[j]] = [items[j] as T, items[i] as T];
    }
    return items;
  }
}

/** Parses `--lag-ms 0-3000` or `500`. */
export function parseLagRange(value: string): { min: number; max: number } {
  const match = /^\s*(\d+)\s*(?:-\s*(\d+))?\s*$/.exec(value);
  if (!match) throw new Error(`lag must be MS or MIN-MAX in milliseconds, got '${value}'`);
  const min = Number(match[1]);
  const max = match[2] === undefined ? min : Number(match[2]);
  if (max < min) throw new Error(`lag range ${value}: MAX is below MIN`);
  return { min, max };
}
