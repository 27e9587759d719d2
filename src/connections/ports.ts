import type { Connection, ConnectionTestSummary, ConnectionTokenState, StoredParameter } from './connection.js';

/**
 * Persistence of connections. Implemented in src/store (Kysely over SQLite or PostgreSQL); every implementation
 * passes the contract suite in test/store/connection-repository-contract.ts.
 */
export interface ConnectionRepository {
  /** Stores a new connection. Throws CONNECTION_NAME_TAKEN when the name exists regardless of case. */
  insert(connection: Connection): Promise<void>;
  findById(id: string): Promise<Connection | undefined>;
  /** Finds by name regardless of case and surrounding whitespace. */
  findByName(name: string): Promise<Connection | undefined>;
  /** Every connection, ordered by name (case-insensitive). */
  list(): Promise<Connection[]>;
  /**
   * Replaces name, parameters and updatedAt when the stored version still equals `expectedVersion`, and stores
   * `expectedVersion + 1`. Throws CONNECTION_VERSION_CONFLICT when someone changed it since (nothing is written),
   * CONNECTION_NOT_FOUND when it is gone, CONNECTION_NAME_TAKEN when the new name is used by another connection.
   */
  update(connection: Connection, expectedVersion: number): Promise<Connection>;
  /**
   * Removes the connection and, in the same transaction, everything stored for it (its local directory, sync
   * settings, schedule, checkpoints, lease and run history); false when it did not exist.
   */
  remove(id: string): Promise<boolean>;
  /** Records the last test outcome without changing the version (tests run alongside edits). */
  recordTestResult(id: string, result: ConnectionTestSummary): Promise<void>;
  /** Records token facts without changing the version. */
  recordTokenState(id: string, state: ConnectionTokenState): Promise<void>;
  /**
   * Key rotation: in ONE transaction, replaces the parameters of every connection with `rewrite(connection)` and
   * stores `keyCheck` as the new master-key check value. Either all of it is written or nothing is. Does not
   * change versions. Returns how many connections were rewritten.
   */
  rewriteAllSecrets(
    rewrite: (connection: Connection) => readonly StoredParameter[],
    keyCheck: string,
    /** Re-seals other envelopes the store keeps (webhook signing secrets) in the same transaction. */
    reseal?: (envelope: string) => string,
  ): Promise<number>;
}

/** Encrypts and decrypts secret parameter values (implemented by the key ring in src/crypto). */
export interface SecretCipher {
  /**
   * Returns a self-describing envelope (version, key id, binding id, iv, ciphertext, tag) that opens only for
   * `binding` (src/connections/secret-binding.ts: connection id, parameter, hosts).
   */
  encrypt(plaintext: string, binding: string): string;
  /**
   * Throws CONNECTION_SECRET_REQUIRED when the envelope was sealed for another binding (or is a legacy gh1 envelope
   * and `allowLegacy` is not set), KEY_MISMATCH when no known key opens it.
   */
  decrypt(envelope: string, binding: string, options?: { readonly allowLegacy?: boolean }): string;
  /**
   * Key rotation: the secret sealed by `next` for the binding the envelope already carries (a legacy envelope, which
   * carries none, for `fallbackBinding`).
   */
  resealWith(next: SecretCipher, envelope: string, fallbackBinding: string): string;
  /** True for a legacy envelope that names no binding (re-sealed by the upgrade when gatehouse opens). */
  isLegacy(envelope: string): boolean;
}

/** Seals exported secrets with a key derived from a passphrase (scrypt + AES-256-GCM; src/crypto/passphrase-box.ts). */
export interface PassphraseBox {
  /** Throws CONNECTION_PASSPHRASE_TOO_SHORT for a passphrase under the minimum. */
  seal(plaintext: string, passphrase: string): Promise<string>;
  /**
   * Throws CONNECTION_PASSPHRASE_WRONG when the passphrase does not open it, CONNECTION_IMPORT_INVALID for a
   * malformed one (scrypt parameters outside the accepted range, a tag that is not 16 bytes).
   */
  open(sealed: string, passphrase: string): Promise<string>;
}
