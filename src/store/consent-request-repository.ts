import type { Kysely } from 'kysely';
import type { ConsentRequestStore } from '../consent/ports.js';
import type { Database } from './schema.js';

/** Consent round trips on SQLite or PostgreSQL: `take` is one DELETE … RETURNING, so a state works once. */
export function createConsentRequestRepository(db: Kysely<Database>): ConsentRequestStore {
  return {
    async save(request) {
      // Old, never-answered round trips go when a new one starts.
      await db.deleteFrom('consent_requests').where('expires_at', '<', request.createdAt.toISOString()).execute();
      await db
        .insertInto('consent_requests')
        .values({
          state_hash: request.stateHash,
          connection_id: request.connectionId,
          requested_by: request.requestedBy,
          created_at: request.createdAt.toISOString(),
          expires_at: request.expiresAt.toISOString(),
        })
        .execute();
    },
    async take(stateHash, now) {
      const row = await db
        .deleteFrom('consent_requests')
        .where('state_hash', '=', stateHash)
        .returningAll()
        .executeTakeFirst();
      if (!row || row.expires_at <= now.toISOString()) return undefined;
      return {
        stateHash: row.state_hash,
        connectionId: row.connection_id,
        requestedBy: row.requested_by,
        createdAt: new Date(row.created_at),
        expiresAt: new Date(row.expires_at),
      };
    },
  };
}
