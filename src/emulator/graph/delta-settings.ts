/** Knobs of delta rounds; defaults follow the real service (facts C.3/C.3a). */
export interface DeltaSettings {
  /** Objects per delta page (~200 in Graph); `Prefer: odata.maxpagesize` may lower it. */
  objectCap: number;
  /** `members@delta` links per page (~500 in Graph). */
  memberCap: number;
  /** Every Nth page starts by repeating the previous page's last object (0 = never). Graph does repeat objects. */
  repeatEveryNthPage: number;
  /** Every Nth page is empty but still carries a nextLink (0 = never). */
  emptyPageEveryNthPage: number;
  /** Delta tokens older than this answer 410 Gone (7 days for directory objects). */
  tokenLifetimeMs: number;
  /** Bumped by `expireDeltaTokens()`: tokens of an older epoch answer 410. */
  epoch: number;
  /** How expired tokens answer: 410 resyncRequired (+ Location) or 400 syncStateNotFound. */
  expiredAnswer: 'resyncRequired' | 'syncStateNotFound';
  /** A split group's later pages come after other objects, anywhere in the round. */
  interleaveSplitGroups: boolean;
  /** Fraction of the previous round's objects the next round reports again. */
  crossRoundReplayRate: number;
  /** A first round may report `@removed` for objects deleted before it started. */
  removedInFirstRound: boolean;
  /** Never-set properties are left out instead of `null`. */
  omitUnsetProperties: boolean;
  /** groups/delta without $select includes `members@delta`. */
  membersByDefault: boolean;
  /** Seeded random source of the disorder (set by the emulator). */
  random?: () => number;
}

export function defaultDeltaSettings(): DeltaSettings {
  return {
    objectCap: 200,
    memberCap: 500,
    repeatEveryNthPage: 3,
    emptyPageEveryNthPage: 5,
    tokenLifetimeMs: 7 * 24 * 3600_000,
    epoch: 0,
    expiredAnswer: 'resyncRequired',
    interleaveSplitGroups: false,
    crossRoundReplayRate: 0,
    removedInFirstRound: false,
    omitUnsetProperties: false,
    membersByDefault: false,
  };
}
