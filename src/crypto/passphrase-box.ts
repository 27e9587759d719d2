import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { PassphraseBox } from '../connections/ports.js';
import { AppError } from '../core/errors.js';
import { isPowerOfTwo, OWASP_SCRYPT, scryptAsync } from './scrypt-async.js';
import { GCM_TAG_BYTES } from './secret-box.js';

/**
 * `gp1.<N>.<salt>.<iv>.<ciphertext>.<tag>`: AES-256-GCM (16-byte tag) under a key derived from the passphrase with
 * scrypt (N = 2^17, r = 8, p = 1, OWASP's recommendation), for `connections export --include-secrets`.
 *
 * The file names N; an import accepts only N between 2^15 (what exports were sealed with before issue 12) and 2^18,
 * so a crafted file can neither weaken the derivation nor make gatehouse allocate gigabytes.
 */
const VERSION = 'gp1';
export const MIN_IMPORT_COST = 2 ** 15;
export const MAX_IMPORT_COST = 2 ** 18;
/** Passphrases that seal an export; opening accepts the older minimum of 8 so earlier exports still import. */
export const MIN_PASSPHRASE_LENGTH = 12;
const MIN_OPEN_PASSPHRASE_LENGTH = 8;

function deriveKey(passphrase: string, salt: Buffer, cost: number): Promise<Buffer> {
  return scryptAsync(passphrase.normalize('NFC'), salt, 32, { ...OWASP_SCRYPT, cost });
}

function wrong(cause?: unknown): AppError {
  return new AppError('CONNECTION_PASSPHRASE_WRONG', { cause });
}

function tooShort(minLength: number): AppError {
  return new AppError('CONNECTION_PASSPHRASE_TOO_SHORT', {
    message: `The passphrase is shorter than ${minLength} characters.`,
    details: { minLength },
  });
}

function malformed(message = 'The encrypted secrets in the export are malformed.'): AppError {
  return new AppError('CONNECTION_IMPORT_INVALID', { message });
}

/** `cost` is for tests of the format only; exports are sealed at OWASP's N. */
export function createPassphraseBox(options: { cost?: number } = {}): PassphraseBox {
  const cost = options.cost ?? OWASP_SCRYPT.cost;
  return {
    async seal(plaintext, passphrase) {
      if (passphrase.length < MIN_PASSPHRASE_LENGTH) throw tooShort(MIN_PASSPHRASE_LENGTH);
      const salt = randomBytes(16);
      const iv = randomBytes(12);
      const key = await deriveKey(passphrase, salt, cost);
      const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: GCM_TAG_BYTES });
      cipher.setAAD(Buffer.from(VERSION));
      const ciphertext = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      const parts = [salt, iv, ciphertext, cipher.getAuthTag()].map((b) => b.toString('base64url'));
      return [VERSION, String(cost), ...parts].join('.');
    },
    async open(sealed, passphrase) {
      if (passphrase.length < MIN_OPEN_PASSPHRASE_LENGTH) throw tooShort(MIN_OPEN_PASSPHRASE_LENGTH);
      const [version, costText, salt, iv, ciphertext, tag, ...rest] = sealed.split('.');
      if (version !== VERSION || !salt || !iv || !ciphertext || !tag || rest.length > 0) throw malformed();
      const n = Number(costText);
      if (!isPowerOfTwo(n) || n < Math.min(MIN_IMPORT_COST, cost) || n > MAX_IMPORT_COST) {
        throw malformed(
          `The export's scrypt cost N=${costText} is outside the accepted range (2^15 to 2^18); it was not made by gatehouse.`,
        );
      }
      const tagBytes = Buffer.from(tag, 'base64url');
      const ivBytes = Buffer.from(iv, 'base64url');
      // A shorter GCM tag would be accepted by node's decipher and make forging cheaper (issue 12 finding 6).
      if (tagBytes.length !== GCM_TAG_BYTES || ivBytes.length !== 12) throw malformed();
      const key = await deriveKey(passphrase, Buffer.from(salt, 'base64url'), n);
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, ivBytes, { authTagLength: GCM_TAG_BYTES });
        decipher.setAAD(Buffer.from(VERSION));
        decipher.setAuthTag(tagBytes);
        return Buffer.concat([decipher.update(Buffer.from(ciphertext, 'base64url')), decipher.final()]).toString(
          'utf8',
        );
      } catch (cause) {
        throw wrong(cause);
      }
    },
  };
}
