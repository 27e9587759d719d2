/** A failure to inject: the HTTP status and, for the token endpoint, the AADSTS code; for 429/503 a Retry-After. */
export interface FaultSpec {
  status: number;
  /** AADSTS code for token-endpoint faults (default: 50196 for 429, 90033 for 5xx). */
  aadsts?: number;
  /** Graph `error.code` for Graph faults (default: TooManyRequests / serviceNotAvailable / …). */
  code?: string;
  /** Seconds; default 1 for 429/503, none otherwise. */
  retryAfterSeconds?: number;
}

export interface FaultTarget {
  readonly method: string;
  readonly path: string;
}

export interface ChosenFaults extends FaultSpec {
  /** Only requests for which this returns true consume the fault (default: every request). */
  match?: (target: FaultTarget) => boolean;
}

/**
 * Decides which requests fail: "the next N (matching) requests" and "this fraction of requests", the latter from a
 * seeded generator so a run with the same seed fails the same requests.
 */
export class FaultPlan {
  private queue: { spec: ChosenFaults; remaining: number }[] = [];
  private rate = 0;
  private rateSpec: FaultSpec = { status: 503 };
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0 || 1;
  }

  failNext(count: number, spec: ChosenFaults): void {
    if (count > 0) this.queue.push({ spec, remaining: count });
  }

  setRate(rate: number, spec: FaultSpec): void {
    this.rate = Math.max(0, Math.min(1, rate));
    this.rateSpec = spec;
  }

  clear(): void {
    this.queue = [];
    this.rate = 0;
  }

  /** The fault for this request, if any (consumes one "next" slot). */
  take(target: FaultTarget): FaultSpec | undefined {
    const index = this.queue.findIndex((q) => !q.spec.match || q.spec.match(target));
    const queued = this.queue[index];
    if (queued) {
      queued.remaining -= 1;
      if (queued.remaining <= 0) this.queue.splice(index, 1);
      return queued.spec;
    }
    if (this.rate > 0 && this.random() < this.rate) return this.rateSpec;
    return undefined;
  }

  /** mulberry32 */
  private random(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

export function retryAfterOf(spec: FaultSpec): number | undefined {
  if (spec.retryAfterSeconds !== undefined) return spec.retryAfterSeconds;
  return spec.status === 429 || spec.status === 503 ? 1 : undefined;
}
