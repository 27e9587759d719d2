import type { ErrorCode } from './error-catalogue.js';
import { AppError } from './errors.js';

/**
 * The one place where a database driver's failure becomes a gatehouse code (issue 17): by the driver's code —
 * better-sqlite3's `SQLITE_*` extended result codes, Node's `E*` system errors, PostgreSQL's SQLSTATE — never by the
 * driver's text (it may quote paths or connection strings). Everything else stays unknown (INTERNAL).
 */

/** A connection gatehouse saw die (pg's own errors for it carry no code); set by the PostgreSQL pool. */
export const CONNECTION_LOST = 'GATEHOUSE_CONNECTION_LOST';

/** PostgreSQL SQLSTATEs that mean the server is gone, restarting or refusing connections (class 08 too). */
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '53300']);
const NET_UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  CONNECTION_LOST,
]);

function storeCodeOf(code: string): ErrorCode | undefined {
  if (code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT' || code === '53100') return 'STORE_FULL';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB' || code === 'XX001' || code === 'XX002')
    return 'STORE_CORRUPT';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'STORE_BUSY';
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN' || code === 'EIO') return 'STORE_UNAVAILABLE';
  if (PG_UNAVAILABLE.has(code) || /^08[0-9A-Z]{3}$/.test(code) || NET_UNAVAILABLE.has(code)) return 'STORE_UNAVAILABLE';
  return undefined;
}

/** The store-failure driver code of `error` or of one of its causes (Kysely and pg sometimes wrap). */
export function driverCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current && typeof current === 'object'; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]{2,40}$/.test(code) && storeCodeOf(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}

/** The store failure `error` is, as an AppError with its catalogue hint; undefined when it is not one. */
export function classifyStoreFailure(error: unknown): AppError | undefined {
  if (error instanceof AppError) return undefined;
  const driverCode = driverCodeOf(error);
  const code = driverCode ? storeCodeOf(driverCode) : undefined;
  if (!code || !driverCode) return undefined;
  return new AppError(code, { cause: error, details: { driverCode } });
}
