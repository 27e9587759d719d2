/** An admin-consent round trip under way, as stored (the state itself is never stored, only its hash). */
export interface ConsentRequest {
  readonly stateHash: string;
  readonly connectionId: string;
  readonly requestedBy: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
}

/** Where round trips wait for their callback (implemented in src/store on SQLite and PostgreSQL). */
export interface ConsentRequestStore {
  save(request: ConsentRequest): Promise<void>;
  /** Removes and returns the request with this state hash if it has not expired at `now`; single use. */
  take(stateHash: string, now: Date): Promise<ConsentRequest | undefined>;
}
