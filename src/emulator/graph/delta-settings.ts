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
}

export function defaultDeltaSettings(): DeltaSettings {
  return {
    objectCap: 200,
    memberCap: 500,
    repeatEveryNthPage: 3,
    emptyPageEveryNthPage: 5,
    tokenLifetimeMs: 7 * 24 * 3600_000,
    epoch: 0,
  };
}
