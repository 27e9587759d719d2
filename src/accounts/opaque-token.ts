import { createHash, randomBytes } from 'node:crypto';

/**
 * Bearer secrets (session ids, API tokens, setup links): 32 random bytes, base64url, with a readable prefix so a
 * leaked token is recognisable (as GitHub's `ghp_`). Only the SHA-256 of a token is stored, so a copy of the
 * database cannot be replayed; a fast hash is right here because the token itself has 256 bits of entropy.
 */
export function generateOpaqueToken(prefix: string): string {
  return `${prefix}${randomBytes(32).toString('base64url')}`;
}

export function hashOpaqueToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
