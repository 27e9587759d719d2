import { type ScryptOptions, scrypt } from 'node:crypto';

/**
 * scrypt on libuv's thread pool (never `scryptSync` on a server path: it would stop the event loop for every request
 * while it runs), at most two derivations at a time: at N=2^17, r=8 each takes 128 MiB, so a burst of logins or
 * imports is bounded to 256 MiB instead of one allocation per request.
 */
export interface ScryptParams {
  /** N, a power of two. */
  readonly cost: number;
  /** r. */
  readonly blockSize: number;
  /** p. */
  readonly parallelization: number;
}

/** OWASP's password storage cheat sheet: N=2^17, r=8, p=1 (128 MiB). */
export const OWASP_SCRYPT: ScryptParams = { cost: 2 ** 17, blockSize: 8, parallelization: 1 };

const MAX_CONCURRENT = 2;
let running = 0;
const waiting: (() => void)[] = [];

async function slot(): Promise<() => void> {
  if (running >= MAX_CONCURRENT) await new Promise<void>((resolve) => waiting.push(resolve));
  running += 1;
  return () => {
    running -= 1;
    waiting.shift()?.();
  };
}

export async function scryptAsync(secret: string, salt: Buffer, length: number, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = {
    N: params.cost,
    r: params.blockSize,
    p: params.parallelization,
    // scrypt needs 128 * N * r bytes (plus a little); the default maxmem (32 MiB) would refuse N=2^17.
    maxmem: 128 * params.cost * params.blockSize + 16 * 1024 * 1024,
  };
  const release = await slot();
  try {
    return await new Promise<Buffer>((resolve, reject) => {
      scrypt(secret, salt, length, options, (error, key) => (error ? reject(error) : resolve(key)));
    });
  } finally {
    release();
  }
}

export function isPowerOfTwo(n: number): boolean {
  return Number.isInteger(n) && n > 1 && (n & (n - 1)) === 0;
}
