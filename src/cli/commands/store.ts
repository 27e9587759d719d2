import { existsSync, readFileSync, renameSync, rmSync, statfsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import type { Command } from 'commander';
import { sql } from 'kysely';
import { AppError, toAppError } from '../../core/errors.js';
import { KEY_CHECK_META_KEY, verifyKeyCheck } from '../../crypto/key-check.js';
import { parseMasterKey } from '../../crypto/master-key.js';
import { MASTER_KEY_FILE } from '../../crypto/master-key-file.js';
import { createKyselyMetaStore } from '../../store/kysely-meta-store.js';
import { pendingMigrations } from '../../store/migrator.js';
import { openDatabase, SQLITE_FILE } from '../../store/open-database.js';
import type { CliContext } from '../cli-context.js';

/** One line of `gatehouse store check`. */
export interface StoreCheck {
  name: 'open' | 'integrity' | 'free space' | 'schema' | 'master key';
  ok: boolean;
  /** What was found, in words. */
  detail: string;
  code?: string;
  hint?: string;
}

export interface StoreCheckResult {
  engine: 'sqlite' | 'postgres';
  dataDir: string;
  ok: boolean;
  checks: StoreCheck[];
}

/** Below this much free space on the data dir's disk, the check warns (a sync of a big tenant writes that much). */
const LOW_SPACE_BYTES = 256 * 1024 * 1024;

const KEY_WARNING =
  'The backup does NOT contain the master key: keep a copy of master.key (or GATEHOUSE_MASTER_KEY) with it, apart from the backup. A store without its key is useless: its secrets cannot be read.';

function location(ctx: CliContext) {
  return {
    dataDir: ctx.dataDir(),
    databaseUrl: ctx.io.env.GATEHOUSE_DATABASE_URL || undefined,
    schema: ctx.io.env.GATEHOUSE_DATABASE_SCHEMA || undefined,
  };
}

function failed(name: StoreCheck['name'], error: unknown): StoreCheck {
  const e = toAppError(error);
  return { name, ok: false, detail: e.message, code: e.code, hint: e.hint };
}

function mebibytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(0)} MiB`;
}

/**
 * `gatehouse store check`: what an operator runs first when something is odd — can the store be opened, is it
 * intact (SQLite integrity check), is there room on its disk, is its schema this version's, and does the master key
 * open its secrets. Every check runs even when another fails; nothing is changed (no migration, no key file).
 */
async function checkStore(ctx: CliContext): Promise<StoreCheckResult> {
  const where = location(ctx);
  const engine = where.databaseUrl ? 'postgres' : 'sqlite';
  const checks: StoreCheck[] = [];
  if (engine === 'sqlite') {
    try {
      const stats = statfsSync(where.dataDir);
      const free = Number(stats.bavail) * Number(stats.bsize);
      const file = join(where.dataDir, SQLITE_FILE);
      const size = existsSync(file) ? statSync(file).size : 0;
      checks.push({
        name: 'free space',
        ok: free >= LOW_SPACE_BYTES,
        detail: `${mebibytes(free)} free on the disk of ${where.dataDir}; the store file is ${mebibytes(size)}.`,
        ...(free < LOW_SPACE_BYTES
          ? { code: 'STORE_FULL', hint: 'Free space on that disk or move the data dir; a sync may meet a full disk.' }
          : {}),
      });
    } catch (error) {
      checks.push(failed('free space', error));
    }
  }
  let opened: Awaited<ReturnType<typeof openDatabase>> | undefined;
  try {
    opened = await openDatabase({ ...where, migrations: 'none' });
    checks.push({ name: 'open', ok: true, detail: `The ${engine} store opens.` });
  } catch (error) {
    checks.push(failed('open', error));
  }
  if (opened) {
    const { db } = opened;
    try {
      if (engine === 'sqlite') {
        const { rows } = await sql<{ integrity_check: string }>`pragma integrity_check`.execute(db);
        const problems = rows.map((r) => r.integrity_check).filter((r) => r !== 'ok');
        checks.push(
          problems.length === 0
            ? { name: 'integrity', ok: true, detail: 'SQLite integrity check: ok.' }
            : {
                name: 'integrity',
                ok: false,
                detail: `SQLite integrity check: ${problems.slice(0, 5).join('; ')}`,
                code: 'STORE_CORRUPT',
                hint: new AppError('STORE_CORRUPT').hint,
              },
        );
      } else {
        await sql`select 1`.execute(db);
        checks.push({ name: 'integrity', ok: true, detail: 'PostgreSQL answers (its own checks are the server’s).' });
      }
    } catch (error) {
      checks.push(failed('integrity', error));
    }
    try {
      const pending = await pendingMigrations(db, engine);
      checks.push(
        pending.length === 0
          ? { name: 'schema', ok: true, detail: 'The schema is current for this version.' }
          : {
              name: 'schema',
              ok: false,
              detail: `${pending.length} migration(s) pending: ${pending.join(', ')}.`,
              code: 'STORE_MIGRATION_PENDING',
              hint: new AppError('STORE_MIGRATION_PENDING').hint,
            },
      );
    } catch (error) {
      checks.push(failed('schema', error));
    }
    try {
      checks.push(await checkKey(ctx, where.dataDir, createKyselyMetaStore(db)));
    } catch (error) {
      checks.push(failed('master key', error));
    }
    await opened.close();
  }
  return { engine, dataDir: where.dataDir, ok: checks.every((c) => c.ok), checks };
}

/** Does the configured master key open the store's key check? Never creates a key file. */
async function checkKey(
  ctx: CliContext,
  dataDir: string,
  meta: ReturnType<typeof createKyselyMetaStore>,
): Promise<StoreCheck> {
  const check = await meta.get(KEY_CHECK_META_KEY);
  const envKey = ctx.io.env.GATEHOUSE_MASTER_KEY;
  const keyFile = join(dataDir, MASTER_KEY_FILE);
  const key =
    envKey !== undefined && envKey !== ''
      ? parseMasterKey(envKey, 'GATEHOUSE_MASTER_KEY')
      : existsSync(keyFile)
        ? parseMasterKey(readFileSync(keyFile, 'utf8'), keyFile)
        : undefined;
  const source = envKey ? 'GATEHOUSE_MASTER_KEY' : 'master.key';
  if (!check) {
    return { name: 'master key', ok: true, detail: 'The store holds no secrets yet (no key check).' };
  }
  if (!key) {
    const e = new AppError('KEY_FILE_MISSING');
    return { name: 'master key', ok: false, detail: e.message, code: e.code, hint: e.hint };
  }
  verifyKeyCheck(key, check);
  return { name: 'master key', ok: true, detail: `The master key (${source}) opens the store's secrets.` };
}

function sqliteOnly(ctx: CliContext, what: string): string {
  if (ctx.io.env.GATEHOUSE_DATABASE_URL) {
    throw new AppError('CONFIG_INVALID', {
      message: `gatehouse ${what} is for the SQLite store; this one is on PostgreSQL.`,
      hint: 'Back up PostgreSQL with its own tools (pg_dump / pg_restore, or your provider’s snapshots), and keep the master key with the dump.',
    });
  }
  return join(ctx.dataDir(), SQLITE_FILE);
}

/** Opens `file` read-only and checks it is an intact gatehouse store; throws STORE_CORRUPT otherwise. */
function assertGatehouseStore(file: string): void {
  let db: SqliteDatabase.Database | undefined;
  try {
    db = new SqliteDatabase(file, { readonly: true, fileMustExist: true });
    const result = db.pragma('quick_check', { simple: true });
    const meta = db.prepare("select name from sqlite_master where type = 'table' and name = 'gatehouse_meta'").get();
    if (result !== 'ok' || !meta) {
      throw new AppError('STORE_CORRUPT', {
        message: `${file} is not an intact gatehouse store${result !== 'ok' ? ` (integrity: ${String(result)})` : ' (no gatehouse tables)'}.`,
        hint: 'Give a file written by `gatehouse backup`.',
      });
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const e = toAppError(error);
    throw new AppError(e.code === 'INTERNAL' ? 'STORE_CORRUPT' : e.code, {
      message: `${file} cannot be read as a gatehouse store.`,
      hint: 'Give a file written by `gatehouse backup`.',
      cause: error,
    });
  } finally {
    db?.close();
  }
}

export function registerStoreCommands(program: Command, ctx: CliContext): void {
  const store = program.command('store').description('the store itself: check it');
  store
    .command('check')
    .description('integrity check, free space, schema version and master key of the store (changes nothing)')
    .action(async () => {
      const result = await checkStore(ctx);
      ctx
        .output()
        .result(result, () => [
          `Store: ${result.engine}${result.engine === 'sqlite' ? ` in ${result.dataDir}` : ''}`,
          ...result.checks.flatMap((c) => [
            `${c.ok ? 'ok  ' : 'FAIL'}  ${c.name}: ${c.detail}`,
            ...(c.ok || !c.hint ? [] : [`      ${c.code}: ${c.hint}`]),
          ]),
          result.ok ? 'All checks passed.' : 'Some checks failed (see above).',
        ]);
      if (!result.ok) ctx.setExitCode(1);
    });

  program
    .command('backup')
    .description('copy the SQLite store into FILE while gatehouse runs (online backup); not the master key')
    .argument('<file>', 'where to write the backup')
    .option('--force', 'overwrite FILE if it exists')
    .action(async (file: string, options: { force?: boolean }) => {
      const source = sqliteOnly(ctx, 'backup');
      const target = ctx.resolvePath(file);
      if (existsSync(target) && !options.force) {
        throw new AppError('USAGE_ERROR', {
          message: `${target} exists.`,
          hint: 'Choose another file, or add --force to overwrite it.',
        });
      }
      if (!existsSync(source)) {
        throw new AppError('STORE_UNAVAILABLE', { message: `There is no store in ${ctx.dataDir()} to back up.` });
      }
      const db = new SqliteDatabase(source, { fileMustExist: true });
      try {
        db.pragma('busy_timeout = 5000');
        // SQLite's online backup API: a consistent copy, page by page, while other processes keep writing.
        await db.backup(target);
      } catch (error) {
        rmSync(target, { force: true });
        throw toAppError(error);
      } finally {
        db.close();
      }
      const size = statSync(target).size;
      ctx
        .output()
        .result({ file: target, bytes: size, warning: KEY_WARNING }, () => [
          `Backed up the store to ${target} (${mebibytes(size)}).`,
        ]);
      ctx.output().note(`warning: ${KEY_WARNING}`);
    });

  program
    .command('restore')
    .description('replace the SQLite store with a backup (stop gatehouse first); the old store is kept aside')
    .argument('<file>', 'a file written by `gatehouse backup`')
    .action(async (file: string) => {
      const target = sqliteOnly(ctx, 'restore');
      const from = ctx.resolvePath(file);
      assertGatehouseStore(from);
      let keptAside: string | undefined;
      if (existsSync(target)) {
        keptAside = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
        // A checkpointed, closed store has no -wal/-shm worth keeping; they must not be replayed onto the backup.
        renameSync(target, keptAside);
        for (const suffix of ['-wal', '-shm']) rmSync(`${target}${suffix}`, { force: true });
      }
      const backup = new SqliteDatabase(from, { readonly: true, fileMustExist: true });
      try {
        await backup.backup(target);
      } finally {
        backup.close();
      }
      // Does the key at hand open the restored secrets? Say so now, not at the next start.
      const opened = await openDatabase({ dataDir: ctx.dataDir(), migrations: 'none' });
      let key: StoreCheck;
      try {
        key = await checkKey(ctx, ctx.dataDir(), createKyselyMetaStore(opened.db)).catch((error) =>
          failed('master key', error),
        );
      } finally {
        await opened.close();
      }
      const result = { restored: from, keptAside: keptAside ?? null, masterKey: key };
      ctx
        .output()
        .result(result, () => [
          `Restored the store from ${from}.`,
          ...(keptAside ? [`The previous store was kept as ${keptAside}.`] : []),
          key.ok ? `Master key: ${key.detail}` : `Master key: ${key.detail}`,
        ]);
      if (!key.ok) {
        ctx
          .output()
          .note(
            `warning: the master key does not open the restored secrets: restore the master.key saved with this backup (or set GATEHOUSE_MASTER_KEY to it).`,
          );
      }
    });
}
