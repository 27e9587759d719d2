import { toAppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

/**
 * How long a run waits for a store that went away (a database restart) before it fails the run. Shorter than the
 * lease (45 s, renewed every 15 s), so a run never keeps writing after its lease could have lapsed and another
 * instance taken over; the next run resumes from the checkpoint instead.
 */
export const STORE_RETRY_MS = 30_000;

/** Store failures that pass by themselves: the connection was lost, the server restarts, another writer holds the lock. */
function isStoreTransient(error: unknown): boolean {
  const code = toAppError(error).code;
  return code === 'STORE_UNAVAILABLE' || code === 'STORE_BUSY';
}

/**
 * A store write that failed because the store went away (a lost PostgreSQL connection, a restart, a SQLite lock
 * held too long) is repeated with backoff until the store answers again, for up to `retryMs`: its transaction
 * was rolled back, so repeating it from the last checkpoint is safe. Anything else fails at once.
 */
export async function retryStore<T>(
  what: string,
  fn: () => Promise<T>,
  options: { retryMs: number; logger: Logger; connection: string; signal?: AbortSignal },
): Promise<T> {
  const deadline = Date.now() + options.retryMs;
  let wait = 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (error) {
      if (!isStoreTransient(error) || Date.now() + wait > deadline || options.signal?.aborted) throw error;
      options.logger.warn(
        { connection: options.connection, what, attempt, code: toAppError(error).code, waitMs: wait },
        'the store did not answer; repeating the write from the last checkpoint',
      );
      await new Promise((resolve) => setTimeout(resolve, wait));
      wait = Math.min(wait * 2, 5000);
    }
  }
}
