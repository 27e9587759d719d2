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
  /** Returns a self-describing envelope (version, key id, iv, ciphertext, tag). */
  encrypt(plaintext: string): string;
  /** Throws KEY_MISMATCH when no known key opens the envelope. */
  decrypt(envelope: string): string;
}

/** Seals exported secrets with a key derived from a passphrase (scrypt + AES-256-GCM; src/crypto/passphrase-box.ts). */
export interface PassphraseBox {
  seal(plaintext: string, passphrase: string): string;
  /** Throws CONNECTION_PASSPHRASE_WRONG when the passphrase does not open it. */
  open(sealed: string, passphrase: string): string;
}
