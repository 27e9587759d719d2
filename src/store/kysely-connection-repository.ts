import { type Kysely, type Selectable, sql } from 'kysely';
import type { Connection, StoredParameter } from '../connections/connection.js';
import { legacyNameKey, nameKey } from '../connections/connection.js';
import type { ConnectionRepository } from '../connections/ports.js';
import { AppError } from '../core/errors.js';
import { KEY_CHECK_META_KEY } from '../crypto/key-check.js';
import { removeConnectionData } from './connection-data.js';
import type { Engine } from './engine.js';
import type { ConnectionsTable } from './schema/connections.js';
import type { Database } from './schema.js';
import { isUniqueViolation } from './unique-violation.js';

type Row = Selectable<ConnectionsTable>;

function toRow(connection: Connection): Row {
  return {
    id: connection.id,
    name: connection.name,
    name_key: nameKey(connection.name),
    type: connection.type,
    version: connection.version,
    parameters: JSON.stringify(connection.parameters),
    created_at: connection.createdAt,
    updated_at: connection.updatedAt,
    last_test: connection.lastTest ? JSON.stringify(connection.lastTest) : null,
    token_state: connection.tokenState ? JSON.stringify(connection.tokenState) : null,
  };
}

function fromRow(row: Row): Connection {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    version: Number(row.version),
    parameters: JSON.parse(row.parameters) as StoredParameter[],
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    ...(row.last_test ? { lastTest: JSON.parse(row.last_test) } : {}),
    ...(row.token_state ? { tokenState: JSON.parse(row.token_state) } : {}),
  };
}

function nameTaken(name: string, cause: unknown): AppError {
  return new AppError('CONNECTION_NAME_TAKEN', {
    message: `A connection named '${name}' already exists (names are unique regardless of case).`,
    details: { connection: name },
    cause,
  });
}

function notFound(id: string): AppError {
  return new AppError('CONNECTION_NOT_FOUND', { message: `Connection ${id} does not exist.`, details: { id } });
}

/** The connection repository on Kysely: the same code serves SQLite and PostgreSQL. */
export function createKyselyConnectionRepository(
  db: Kysely<Database>,
  engine: Engine = 'sqlite',
): ConnectionRepository {
  const select = () => db.selectFrom('connections').selectAll();
  return {
    async insert(connection) {
      try {
        await db.insertInto('connections').values(toRow(connection)).execute();
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken(connection.name, error);
        throw error;
      }
    },
    async findById(id) {
      const row = await select().where('id', '=', id).executeTakeFirst();
      return row ? fromRow(row) : undefined;
    },
    async findByName(name) {
      const row =
        (await select().where('name_key', '=', nameKey(name)).executeTakeFirst()) ??
        // A row the NFKC migration could not re-key (its new key was taken) answers to its old key only.
        (await select().where('name_key', '=', legacyNameKey(name)).executeTakeFirst());
      return row ? fromRow(row) : undefined;
    },
    async list() {
      const rows = await select().orderBy('name_key').execute();
      return rows.map(fromRow);
    },
    async update(connection, expectedVersion) {
      const next: Connection = { ...connection, version: expectedVersion + 1 };
      const row = toRow(next);
      let updated: bigint;
      try {
        const result = await db
          .updateTable('connections')
          .set({
            name: row.name,
            name_key: row.name_key,
            version: row.version,
            parameters: row.parameters,
            updated_at: row.updated_at,
          })
          .where('id', '=', connection.id)
          .where('version', '=', expectedVersion)
          .executeTakeFirst();
        updated = result.numUpdatedRows;
      } catch (error) {
        if (isUniqueViolation(error)) throw nameTaken(connection.name, error);
        throw error;
      }
      if (updated === 0n) {
        const current = await select().where('id', '=', connection.id).executeTakeFirst();
        if (!current) throw notFound(connection.id);
        throw new AppError('CONNECTION_VERSION_CONFLICT', {
          message: `Connection '${current.name}' was changed since it was read (version ${expectedVersion}, now ${current.version}).`,
          details: { connection: current.name, expectedVersion, currentVersion: Number(current.version) },
        });
      }
      const saved = await select().where('id', '=', connection.id).executeTakeFirstOrThrow();
      return fromRow(saved);
    },
    async remove(id) {
      // One transaction: the connection goes together with its directory and sync state, or nothing goes.
      return db.transaction().execute(async (trx) => {
        await removeConnectionData(trx, id);
        const result = await trx.deleteFrom('connections').where('id', '=', id).executeTakeFirst();
        return result.numDeletedRows > 0n;
      });
    },
    async recordTestResult(id, result) {
      const r = await db
        .updateTable('connections')
        .set({ last_test: JSON.stringify(result) })
        .where('id', '=', id)
        .executeTakeFirst();
      if (r.numUpdatedRows === 0n) throw notFound(id);
    },
    async recordTokenState(id, state) {
      const r = await db
        .updateTable('connections')
        .set({ token_state: JSON.stringify(state) })
        .where('id', '=', id)
        .executeTakeFirst();
      if (r.numUpdatedRows === 0n) throw notFound(id);
    },
    async rewriteAllSecrets(rewrite, keyCheck, reseal) {
      return db.transaction().execute(async (trx) => {
        // PostgreSQL (read committed) would let a connection inserted meanwhile keep the old key; SQLite's single
        // writer already serialises this transaction against every other write.
        if (engine === 'postgres') await sql`lock table connections in share row exclusive mode`.execute(trx);
        const rows = await trx.selectFrom('connections').selectAll().execute();
        for (const row of rows) {
          const parameters = JSON.stringify(rewrite(fromRow(row)));
          await trx.updateTable('connections').set({ parameters }).where('id', '=', row.id).execute();
        }
        // Webhook signing secrets (src/events) are sealed with the same key.
        for (const hook of reseal ? await trx.selectFrom('webhooks').select(['id', 'secret']).execute() : []) {
          await trx
            .updateTable('webhooks')
            .set({ secret: reseal?.(hook.secret) ?? hook.secret })
            .where('id', '=', hook.id)
            .execute();
        }
        await trx
          .insertInto('gatehouse_meta')
          .values({ key: KEY_CHECK_META_KEY, value: keyCheck })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: keyCheck }))
          .execute();
        return rows.length;
      });
    },
  };
}
