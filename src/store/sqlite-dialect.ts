import type SqliteDatabase from 'better-sqlite3';
import { CompiledQuery, type DatabaseConnection, type Driver, SqliteDialect, SqliteDriver } from 'kysely';

/** How long a write waits for another process's write lock, in all (the busy timeout of the store). */
export const SQLITE_BUSY_TIMEOUT_MS = 5000;
/** While retrying BEGIN IMMEDIATE, each attempt blocks the event loop at most this long (better-sqlite3 is sync). */
const ATTEMPT_BUSY_MS = 50;

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED'));
}

/**
 * Transactions start as `BEGIN IMMEDIATE`: the write lock is taken up front, so a transaction that reads and then
 * writes can never meet another process's commit in between (a deferred one then fails with SQLITE_BUSY_SNAPSHOT,
 * which no busy timeout waits out — issue 17 case 3). Taking the lock is retried with backoff, each attempt short
 * so a server's event loop is not frozen for the whole busy timeout, until SQLITE_BUSY_TIMEOUT_MS has passed.
 */
class ImmediateSqliteDriver extends SqliteDriver {
  constructor(
    config: ConstructorParameters<typeof SqliteDriver>[0],
    private readonly file: SqliteDatabase.Database,
    private readonly busyTimeoutMs: number,
  ) {
    super(config);
  }

  override async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const deadline = Date.now() + this.busyTimeoutMs;
    let wait = 10;
    this.file.pragma(`busy_timeout = ${ATTEMPT_BUSY_MS}`);
    try {
      for (;;) {
        try {
          await connection.executeQuery(CompiledQuery.raw('begin immediate'));
          return;
        } catch (error) {
          if (!isBusy(error) || Date.now() + wait > deadline) throw error;
        }
        await new Promise((resolve) => setTimeout(resolve, wait));
        wait = Math.min(wait * 2, 500);
      }
    } finally {
      this.file.pragma(`busy_timeout = ${this.busyTimeoutMs}`);
    }
  }
}

export class ImmediateSqliteDialect extends SqliteDialect {
  constructor(
    private readonly file: SqliteDatabase.Database,
    private readonly busyTimeoutMs = SQLITE_BUSY_TIMEOUT_MS,
  ) {
    super({ database: file });
  }

  override createDriver(): Driver {
    return new ImmediateSqliteDriver({ database: this.file }, this.file, this.busyTimeoutMs);
  }
}
