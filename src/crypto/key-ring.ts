import { AppError } from '../core/errors.js';
import type { MasterKey } from './master-key.js';
import { open, parseEnvelope, seal } from './secret-box.js';

/**
 * The keys gatehouse can read with, and the one it writes with. During a rotation (or after one was interrupted)
 * the ring knows the old and the new key, so every envelope stays readable whichever key sealed it.
 *
 * @example
 *   const ring = new KeyRing(parseMasterKey(process.env.GATEHOUSE_MASTER_KEY ?? '', 'GATEHOUSE_MASTER_KEY'));
 *   const envelope = ring.encrypt('secret value'); // "gh1.<keyId>.<iv>.<ciphertext>.<tag>"
 *   ring.decrypt(envelope); // "secret value"
 */
export class KeyRing {
  #current: MasterKey;
  private readonly byId: Map<string, MasterKey>;

  constructor(current: MasterKey, others: readonly MasterKey[] = []) {
    this.#current = current;
    this.byId = new Map([...others, current].map((k) => [k.id, k]));
  }

  /** The key new envelopes are sealed with. */
  get current(): MasterKey {
    return this.#current;
  }

  encrypt(plaintext: string): string {
    return seal(this.#current, plaintext);
  }

  /** After a rotation committed: seal with `key` from now on, still read envelopes of the keys known before. */
  adopt(key: MasterKey): void {
    this.byId.set(key.id, key);
    this.#current = key;
  }

  decrypt(envelope: string): string {
    const { keyId } = parseEnvelope(envelope);
    const key = this.byId.get(keyId);
    if (!key) {
      throw new AppError('KEY_MISMATCH', {
        message: `The stored secrets were encrypted with master key ${keyId}, which this instance does not have.`,
        details: { envelopeKeyId: keyId, knownKeyIds: [...this.byId.keys()] },
      });
    }
    return open(key, envelope);
  }

  /** The id of the key that sealed `envelope`. */
  keyIdOf(envelope: string): string {
    return parseEnvelope(envelope).keyId;
  }

  knows(keyId: string): boolean {
    return this.byId.has(keyId);
  }
}
