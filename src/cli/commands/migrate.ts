import type { Command } from 'commander';
import { migrateToLatest, pendingMigrations } from '../../store/migrator.js';
import { openDatabase } from '../../store/open-database.js';
import type { CliContext } from '../cli-context.js';

/** `gatehouse migrate --json` prints this. */
export interface MigrateResult {
  engine: 'sqlite' | 'postgres';
  /** Migrations applied by this run (empty when the schema was current). */
  applied: string[];
  /** Migrations still pending (only with --check, which applies nothing). */
  pending: string[];
}

/** Where the store is, from the same settings `openGatehouse` reads. */
function storeLocation(ctx: CliContext) {
  return {
    dataDir: ctx.dataDir(),
    databaseUrl: ctx.io.env.GATEHOUSE_DATABASE_URL || undefined,
    schema: ctx.io.env.GATEHOUSE_DATABASE_SCHEMA || undefined,
  };
}

function resultText(result: MigrateResult, check: boolean): string[] {
  if (check) {
    return result.pending.length === 0
      ? [`The ${result.engine} schema is current.`]
      : [`${result.pending.length} migration(s) pending on ${result.engine}:`, ...result.pending.map((n) => `  ${n}`)];
  }
  return result.applied.length === 0
    ? [`The ${result.engine} schema was already current; nothing applied.`]
    : [`Applied ${result.applied.length} migration(s) on ${result.engine}:`, ...result.applied.map((n) => `  ${n}`)];
}

/**
 * `gatehouse migrate [--check]`: brings the database schema up to this version. With several instances on
 * PostgreSQL, `serve` refuses a behind schema (STORE_MIGRATION_PENDING) and this command is run once, from one
 * place, before the new version starts. Needs no master key: it touches the schema only.
 */
export function registerMigrateCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('migrate')
    .description('apply pending database migrations (run once before starting a new version on PostgreSQL)')
    .option('--check', 'only report pending migrations; exit 1 when there are any')
    .action(async (options: { check?: boolean }) => {
      const check = options.check === true;
      const store = await openDatabase({ ...storeLocation(ctx), migrations: 'none' });
      try {
        const result: MigrateResult = check
          ? { engine: store.engine, applied: [], pending: await pendingMigrations(store.db, store.engine) }
          : { engine: store.engine, applied: await migrateToLatest(store.db, store.engine), pending: [] };
        ctx.output().result(result, () => resultText(result, check));
        if (check && result.pending.length > 0) ctx.setExitCode(1);
      } finally {
        await store.close();
      }
    });
}
