/**
 * Graph's identity-and-access throttling (https://learn.microsoft.com/graph/throttling-limits, facts C.8): token
 * buckets of resource units per app + tenant, sized by the tenant (S < 50 users: 3,500 RU / 10 s; M ≤ 500: 5,000;
 * L: 8,000) plus a write bucket (3,000 writes / 150 s). Costs per request follow the published table.
 */
export interface ThrottleSettings {
  enabled: boolean;
  /** Override the RU budget per 10 s (default: by tenant size). */
  resourceUnitsPer10s?: number;
  /** Override the write budget per 150 s (default 3,000). */
  writesPer150s?: number;
}

interface Bucket {
  level: number;
  at: number;
}

export interface ThrottleVerdict {
  /** Resource units this request costs (`x-ms-resource-unit`). */
  cost: number;
  /** Seconds to wait when throttled. */
  retryAfterSeconds?: number;
  /** Which budget ran dry. */
  information?: 'ResourceUnitLimitExceeded' | 'WriteLimitExceeded';
  /** Fraction of the budget used, when ≥ 0.8 (`x-ms-throttle-limit-percentage`). */
  usedFraction?: number;
}

/** Resource units of one request (facts C.8). */
export function resourceUnits(method: string, path: string, params: URLSearchParams): number {
  const p = path.toLowerCase();
  let cost = 1;
  if (method === 'GET') {
    if (/\/transitivemembers(\/|$)/.test(p)) cost = 5;
    else if (/\/groups\/[^/]+\/members(\/|$)/.test(p)) cost = 3;
    else if (/\/transitivememberof(\/|$)/.test(p)) cost = 2;
    else if (/^\/v1\.0\/users(\/|$)/.test(p)) cost = 2;
  } else if (method === 'POST') {
    if (/\/check(membergroups|memberobjects)$/.test(p)) cost = 4;
    else if (/\/get(membergroups|memberobjects)$/.test(p)) cost = 2;
  }
  const has = (name: string) =>
    [...params.keys()].some((k) => k.toLowerCase() === `$${name}` || k.toLowerCase() === name);
  if (has('select')) cost -= 1;
  if (has('expand')) cost += 1;
  const top = [...params].find(([k]) => k.toLowerCase() === '$top')?.[1];
  if (top !== undefined && Number(top) < 20) cost -= 1;
  return Math.max(1, cost);
}

export class GraphThrottle {
  private readonly ru = new Map<string, Bucket>();
  private readonly writes = new Map<string, Bucket>();

  constructor(
    readonly settings: ThrottleSettings,
    private readonly userCount: () => number,
    private readonly nowMs: () => number,
  ) {}

  private ruBudget(): number {
    if (this.settings.resourceUnitsPer10s) return this.settings.resourceUnitsPer10s;
    const users = this.userCount();
    return users < 50 ? 3_500 : users <= 500 ? 5_000 : 8_000;
  }

  /** Charges a request; when a bucket cannot cover it, nothing is charged and the verdict says how long to wait. */
  charge(appId: string, method: string, path: string, params: URLSearchParams): ThrottleVerdict {
    const cost = resourceUnits(method, path, params);
    if (!this.settings.enabled) return { cost };
    const now = this.nowMs();
    const isWrite = method !== 'GET';
    const ruCap = this.ruBudget();
    const ru = refill(this.ru, appId, ruCap, ruCap / 10_000, now);
    if (ru.level < cost)
      return {
        cost,
        retryAfterSeconds: waitSeconds(cost - ru.level, ruCap / 10_000),
        information: 'ResourceUnitLimitExceeded',
      };
    const writeCap = this.settings.writesPer150s ?? 3_000;
    const writes = isWrite ? refill(this.writes, appId, writeCap, writeCap / 150_000, now) : undefined;
    if (writes && writes.level < 1)
      return {
        cost,
        retryAfterSeconds: waitSeconds(1 - writes.level, writeCap / 150_000),
        information: 'WriteLimitExceeded',
      };
    ru.level -= cost;
    if (writes) writes.level -= 1;
    const used = 1 - ru.level / ruCap;
    return used >= 0.8 ? { cost, usedFraction: used } : { cost };
  }
}

function refill(buckets: Map<string, Bucket>, key: string, cap: number, perMs: number, now: number): Bucket {
  let bucket = buckets.get(key);
  if (!bucket) {
    bucket = { level: cap, at: now };
    buckets.set(key, bucket);
  }
  bucket.level = Math.min(cap, bucket.level + (now - bucket.at) * perMs);
  bucket.at = now;
  return bucket;
}

function waitSeconds(missing: number, perMs: number): number {
  return Math.max(1, Math.ceil(missing / perMs / 1000));
}
