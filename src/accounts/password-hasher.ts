import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isPowerOfTwo, OWASP_SCRYPT, scryptAsync } from '../crypto/scrypt-async.js';

/**
 * Password hashing with scrypt (memory-hard, in node:crypto, so no dependency), always on the thread pool
 * (src/crypto/scrypt-async.ts). The stored form carries its parameters, so they can be raised without breaking old
 * hashes, and a hash made with weaker ones is re-made at the next successful login (`needsRehash`):
 * `scrypt$<N>$<r>$<p>$<salt base64url>$<hash base64url>`.
 * Parameters follow OWASP's password storage cheat sheet: N=2^17, r=8, p=1 (128 MiB per derivation).
 */
export interface PasswordHashParams {
  /** CPU/memory cost, a power of two (default 2^17). */
  cost: number;
  blockSize: number;
  parallelization: number;
}

export const DEFAULT_PASSWORD_PARAMS: PasswordHashParams = { ...OWASP_SCRYPT };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
/** A stored hash naming more than this (a row written to the database) is refused, not run: 2^20 × 8 = 1 GiB. */
const MAX_COST = 2 ** 20;

function derive(password: string, salt: Buffer, params: PasswordHashParams): Promise<Buffer> {
  return scryptAsync(password.normalize('NFC'), salt, KEY_LENGTH, params);
}

export async function hashPassword(password: string, params: PasswordHashParams = DEFAULT_PASSWORD_PARAMS) {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, params);
  const { cost, blockSize, parallelization } = params;
  return `scrypt$${cost}$${blockSize}$${parallelization}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

function parseHash(stored: string): (PasswordHashParams & { salt: Buffer; hash: Buffer }) | undefined {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [cost, blockSize, parallelization] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (!isPowerOfTwo(cost) || cost > MAX_COST) return undefined;
  if (![blockSize, parallelization].every((n) => Number.isInteger(n) && n > 0 && n <= 16)) return undefined;
  return {
    cost,
    blockSize,
    parallelization,
    salt: Buffer.from(parts[4] as string, 'base64url'),
    hash: Buffer.from(parts[5] as string, 'base64url'),
  };
}

/** Compares in constant time; a malformed stored hash (or one with parameters out of range) never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parsed = parseHash(stored);
  if (!parsed) return false;
  const actual = await derive(password, parsed.salt, parsed);
  return actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash);
}

/** True when `stored` was made with parameters weaker than `params` (re-hash it at the next successful login). */
export function needsRehash(stored: string, params: PasswordHashParams = DEFAULT_PASSWORD_PARAMS): boolean {
  const parsed = parseHash(stored);
  return (
    !parsed ||
    parsed.cost < params.cost ||
    parsed.blockSize < params.blockSize ||
    parsed.parallelization < params.parallelization
  );
}
