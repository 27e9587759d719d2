import { sql } from 'kysely';
import type { Migration } from './migration.js';

/**
 * API tokens belong to the account that created them (issue 12, finding 9): deleting the account deletes them, and
 * a disabled account's tokens are refused. Tokens made before this are matched to their creator by user name;
 * tokens made on the command line (`cli:…`) have no owner account.
 */
export const apiTokenOwnerMigration: Migration = {
  name: '0032-api-token-owner',
  async up(db) {
    await db.schema.alterTable('api_tokens').addColumn('owner_account_id', 'text').execute();
    await sql`update api_tokens set owner_account_id = (select a.id from accounts a where a.username = api_tokens.created_by)`.execute(
      db,
    );
    await db.schema.createIndex('api_tokens_owner').on('api_tokens').column('owner_account_id').execute();
  },
};
