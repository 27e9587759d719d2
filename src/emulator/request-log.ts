/** One request as the emulator saw it. Tests assert on these (which app called what, and how it was answered). */
export interface RequestLogEntry {
  /** ISO time from the emulator's clock. */
  readonly time: string;
  readonly kind: 'token' | 'discovery' | 'graph' | 'batch-item' | 'other';
  readonly method: string;
  /** Path plus query string, e.g. `/v1.0/users?$top=5`. */
  readonly path: string;
  readonly status: number;
  /** The client id: from the bearer token (Graph) or the form / Basic header (token endpoint). */
  readonly clientId: string | undefined;
  /** Display name of that app when it is registered. */
  readonly app: string | undefined;
  /** The AADSTS code (token endpoint) or Graph `error.code` of a failed request. */
  readonly errorCode: string | undefined;
  readonly requestId: string;
}

/** A bounded in-memory log (oldest entries dropped), so long benchmarks do not grow without limit. */
export class RequestLog {
  private entries: RequestLogEntry[] = [];
  /** Requests seen since start (not reset by clear). */
  count = 0;

  constructor(private readonly capacity = 100_000) {}

  add(entry: RequestLogEntry): void {
    this.count++;
    this.entries.push(entry);
    // Trim in bulk: dropping one entry from the front per request would copy the whole array every time.
    if (this.entries.length > this.capacity * 1.1) this.entries.splice(0, this.entries.length - this.capacity);
  }

  list(): RequestLogEntry[] {
    return [...this.entries];
  }

  clear(): void {
    this.entries = [];
  }
}
