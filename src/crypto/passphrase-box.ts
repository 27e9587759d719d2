import { createCipheriv, createDecipheriv, randomBytes, scryptSync } from 'node:crypto';
import type { PassphraseBox } from '../connections/ports.js';
import { AppError } from '../core/errors.js';

/**
 * `gp1.<N>.<salt>.<iv>.<ciphertext>.<tag>`: AES-256-GCM under a key derived from the passphrase with scrypt
 * (N = 2^15, r = 8, p = 1, OWASP's minimum for scrypt), for `connections export --include-secrets`.
 */
const VERSION = 'gp1';
const DEFAULT_COST = 2 ** 15;

function deriveKey(passphrase: string, salt: Buffer, cost: number): Buffer {
  return scryptSync(passphrase.normalize('NFC'), salt, 32, { N: cost, r: 8, p: 1, maxmem: 64 * 1024 * 1024 });
}

function wrong(cause?: unknown): AppError {
  return new AppError('CONNECTION_PASSPHRASE_WRONG', { cause });
}

export function createPassphraseBox(options: { cost?: number } = {}): PassphraseBox {
  const cost = options.cost ?? DEFAULT_COST;
  return {
    seal(plaintext, passphrase) {
      const salt = randomBytes(16);
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', deriveKey(passphrase, salt, cost), iv);
      cipher.setAAD(Buffer.from(VERSION));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const parts = [salt, iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString('base64url'));
      return [VERSION, String(cost), ...parts].join('.');
    },
    open(sealed, passphrase) {
      const [version, costText, salt, iv, ciphertext, tag] = sealed.split('.');
      const n = Number(costText);
      if (version !== VERSION || !salt || !iv || !ciphertext || !tag || !Number.isInteger(n) || n < 2 || n > 2 ** 20) {
        throw new AppError('CONNECTION_IMPORT_INVALID', {
          message: 'The encrypted secrets in the export are malformed.',
        });
      }
      try {
        const decipher = createDecipheriv(
          'aes-256-gcm',
          deriveKey(passphrase, Buffer.from(salt, 'base64url'), n),
          Buffer.from(iv, 'base64url'),
        );
        decipher.setAAD(Buffer.from(VERSION));
        decipher.setAuthTag(Buffer.from(tag, 'base64url'));
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch (cause) {
        throw wrong(cause);
      }
    },
  };
}
