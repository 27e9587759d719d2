import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

/**
 * Password hashing with scrypt (memory-hard, in node:crypto, so no dependency). The stored form carries its
 * parameters so they can be raised later without breaking old hashes:
 * `scrypt$<N>$<r>$<p>$<salt base64url>$<hash base64url>`.
 * Parameters follow OWASP's password storage cheat sheet (N=2^17, r=8, p=1 uses 128 MiB; we use N=2^15 = 32 MiB
 * to keep logins under ~100 ms on a small server while staying memory-hard).
 */
export interface PasswordHashParams {
  /** CPU/memory cost, a power of two (default 2^15). */
  cost: number;
  blockSize: number;
  parallelization: number;
}

export const DEFAULT_PASSWORD_PARAMS: PasswordHashParams = { cost: 2 ** 15, blockSize: 8, parallelization: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;

function derive(password: string, salt: Buffer, params: PasswordHashParams): Promise<Buffer> {
  const options: ScryptOptions = {
    N: params.cost,
    r: params.blockSize,
    p: params.parallelization,
    // scrypt needs 128 * N * r bytes; allow twice that so the default maxmem (32 MiB) does not refuse.
    maxmem: 256 * params.cost * params.blockSize,
  };
  return new Promise((resolve, reject) => {
    scrypt(password.normalize('NFC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    );
  });
}

export async function hashPassword(password: string, params: PasswordHashParams = DEFAULT_PASSWORD_PARAMS) {
  const salt = randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, params);
  const { cost, blockSize, parallelization } = params;
  return `scrypt$${cost}$${blockSize}$${parallelization}$${salt.toString('base64url')}$${key.toString('base64url')}`;
}

/** Compares in constant time; a malformed stored hash never matches. */
export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [cost, blockSize, parallelization] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![cost, blockSize, parallelization].every((n) => Number.isInteger(n) && n > 0)) return false;
  const salt = Buffer.from(parts[4] as string, 'base64url');
  const expected = Buffer.from(parts[5] as string, 'base64url');
  const actual = await derive(password, salt, { cost, blockSize, parallelization });
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
