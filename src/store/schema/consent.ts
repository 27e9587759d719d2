/**
 * `consent_requests`: admin-consent round trips under way (issue 15). Only a hash of the `state` is kept, so the
 * table cannot be used to forge a callback; a row is taken (deleted) by the callback that presents its state.
 */
export interface ConsentRequestsTable {
  /** Hex SHA-256 of the state sent to Entra. */
  state_hash: string;
  connection_id: string;
  /** Who started it (account or token name): the callback itself arrives without a session. */
  requested_by: string;
  /** ISO-8601 UTC. */
  created_at: string;
  expires_at: string;
}
