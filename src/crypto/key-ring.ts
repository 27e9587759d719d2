import { AppError } from '../core/errors.js';
import type { MasterKey } from './master-key.js';
import {
  LEGACY_ENVELOPE_VERSION,
  type OpenOptions,
  open,
  openForItsBinding,
  parseEnvelope,
  seal,
} from './secret-box.js';

/**
 * The keys gatehouse can read with, and the one it writes with. During a rotation (or after one was interrupted)
 * the ring knows the old and the new key, so every envelope stays readable whichever key sealed it.
 *
 * @example
 *   const ring = new KeyRing(parseMasterKey(process.env.GATEHOUSE_MASTER_KEY ?? '', 'GATEHOUSE_MASTER_KEY'));
 *   const envelope = ring.encrypt('secret value', binding); // "gh2.<keyId>.<bindingId>.<iv>.<ciphertext>.<tag>"
 *   ring.decrypt(envelope, binding); // "secret value"; another binding: CONNECTION_SECRET_REQUIRED
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

  /** Seals `plaintext` for `binding` (see secret-box.ts): it opens for that binding only. */
  encrypt(plaintext: string, binding: string): string {
    return seal(this.#current, plaintext, binding);
  }

  /** After a rotation committed: seal with `key` from now on, still read envelopes of the keys known before. */
  adopt(key: MasterKey): void {
    this.byId.set(key.id, key);
    this.#current = key;
  }

  decrypt(envelope: string, binding: string, options: OpenOptions = {}): string {
    return open(this.keyFor(envelope), envelope, binding, options);
  }

  /**
   * Key rotation: the same secret sealed with `next` for the binding it already has (a secret that stopped
   * opening because its endpoints changed stays that way). A legacy gh1 envelope names no binding: it is sealed
   * for `fallbackBinding`.
   */
  resealWith(
    next: { encrypt(plaintext: string, binding: string): string },
    envelope: string,
    fallbackBinding: string,
  ): string {
    const key = this.keyFor(envelope);
    if (this.isLegacy(envelope)) {
      return next.encrypt(open(key, envelope, fallbackBinding, { allowLegacy: true }), fallbackBinding);
    }
    const { plaintext, binding } = openForItsBinding(key, envelope);
    return next.encrypt(plaintext, binding);
  }

  private keyFor(envelope: string): MasterKey {
    const { keyId } = parseEnvelope(envelope);
    const key = this.byId.get(keyId);
    if (!key) {
      throw new AppError('KEY_MISMATCH', {
        message: `The stored secrets were encrypted with master key ${keyId}, which this instance does not have.`,
        details: { envelopeKeyId: keyId, knownKeyIds: [...this.byId.keys()] },
      });
    }
    return key;
  }

  /** True for a gh1 envelope (no binding), which the upgrade at open re-seals. */
  isLegacy(envelope: string): boolean {
    return envelope.startsWith(`${LEGACY_ENVELOPE_VERSION}.`);
  }

  /** The id of the key that sealed `envelope`. */
  keyIdOf(envelope: string): string {
    return parseEnvelope(envelope).keyId;
  }

  knows(keyId: string): boolean {
    return this.byId.has(keyId);
  }
}
