import { sql } from 'kysely';
import type { Migration } from './migration.js';

/**
 * SQLite only: rebuilds directory_memberships as a WITHOUT ROWID table, so a link is stored once, in its primary-key
 * B-tree (connection, group, member), instead of a rowid row plus a copy of the same three text ids in the primary
 * key's index. A first sync writes ~8 links per user; measured (issue 13) this halves the pages a link costs and
 * ~15-20% of the CPU per link. PostgreSQL keeps its heap and primary-key index: nothing to do there.
 *
 * The copy runs in one transaction, so a crash leaves either the old table or the new one, never neither.
 */
export const directoryMembershipsWithoutRowidMigration: Migration = {
  name: '0013-directory-memberships-without-rowid',
  async up(db, engine) {
    if (engine !== 'sqlite') return;
    await db.transaction().execute(async (trx) => {
      await sql`drop table if exists directory_memberships_rebuilt`.execute(trx);
      await sql`create table directory_memberships_rebuilt (
        connection_id text not null,
        group_id text not null,
        member_id text not null,
        member_type text not null,
        round_id integer not null default 0,
        constraint directory_memberships_pk primary key (connection_id, group_id, member_id)
      ) without rowid`.execute(trx);
      await sql`insert into directory_memberships_rebuilt (connection_id, group_id, member_id, member_type, round_id)
        select connection_id, group_id, member_id, member_type, round_id from directory_memberships`.execute(trx);
      await sql`drop table directory_memberships`.execute(trx);
      await sql`alter table directory_memberships_rebuilt rename to directory_memberships`.execute(trx);
    });
  },
};
