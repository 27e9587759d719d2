import { sql } from 'kysely';
import type { Migration } from './migration.js';

/**
 * Stores a membership as (group key, member id): an integer per (connection, group) in `directory_group_keys`, and
 * `directory_links` keyed by that integer and the member's id, in place of `directory_memberships` keyed by three
 * 36-character ids (connection, group, member). A first sync writes ~8 links per user, so the link B-tree is the
 * store's largest; measured (issue 13, BENCHMARKS.md "Sync: links keyed by group"), a row of about 50 bytes instead
 * of 120 costs ~40% less CPU per link on SQLite and keeps far more of the tree in cache on both engines.
 *
 * The member stays a text id on purpose: mapping every member to an integer as well costs a lookup per link (a text
 * B-tree probe as dear as the insert it saves) or an in-memory map of every object id (~100 MB at 1,000,000 users).
 * Group keys are few (one per group) and looked up once per group per page.
 *
 * The copy runs in one transaction, so a crash leaves either the old layout or the new one, never neither.
 */
export const directoryLinksByGroupKeyMigration: Migration = {
  name: '0014-directory-links-by-group-key',
  async up(db, engine) {
    // On PostgreSQL the migrator already runs each migration in a transaction (transactional DDL).
    const atomically = (fn: (trx: typeof db) => Promise<void>) =>
      db.isTransaction ? fn(db) : db.transaction().execute(fn);
    await atomically(async (trx) => {
      if (engine === 'sqlite') {
        // AUTOINCREMENT: a key is never reused, so a stale key can never name another group.
        await sql`create table directory_group_keys (
          key integer primary key autoincrement,
          connection_id text not null,
          group_id text not null
        )`.execute(trx);
        await sql`create table directory_links (
          group_key integer not null,
          member_id text not null,
          member_type text not null,
          round_id integer not null default 0,
          constraint directory_links_pk primary key (group_key, member_id)
        ) without rowid`.execute(trx);
      } else {
        // int4, not int8: node-postgres returns int8 as a string; 2^31 group keys outlast any tenant.
        await sql`create table directory_group_keys (
          key integer generated always as identity primary key,
          connection_id text not null,
          group_id text not null
        )`.execute(trx);
        await sql`create table directory_links (
          group_key integer not null,
          member_id text not null,
          member_type text not null,
          round_id integer not null default 0,
          constraint directory_links_pk primary key (group_key, member_id)
        )`.execute(trx);
      }
      await sql`create unique index directory_group_keys_group on directory_group_keys (connection_id, group_id)`.execute(
        trx,
      );
      await sql`insert into directory_group_keys (connection_id, group_id)
        select distinct connection_id, group_id from directory_memberships order by connection_id, group_id`.execute(
        trx,
      );
      await sql`insert into directory_links (group_key, member_id, member_type, round_id)
        select k.key, m.member_id, m.member_type, m.round_id
        from directory_memberships m
        join directory_group_keys k on k.connection_id = m.connection_id and k.group_id = m.group_id`.execute(trx);
      await sql`drop table directory_memberships`.execute(trx);
    });
  },
};
