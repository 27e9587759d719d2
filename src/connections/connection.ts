/**
 * The connection model: a named, typed, ordered list of key/value parameters (the seed's "Generic Connection").
 * Secret values are held only as encrypted envelopes plus non-secret metadata (when set, a fingerprint), so a
 * `Connection` can be listed, shown, logged or serialised without ever exposing a secret.
 */

/** A non-secret parameter value as stored (trimmed, canonical key spelling). */
export interface PlainParameter {
  readonly key: string;
  readonly secret: false;
  readonly value: string;
}

/** A secret parameter: the encrypted envelope and what may be shown about it. */
export interface SecretParameter {
  readonly key: string;
  readonly secret: true;
  /** Versioned AES-256-GCM envelope (see src/crypto/secret-box.ts); never the value. */
  readonly envelope: string;
  /** Short non-reversible fingerprint ("sha256:1a2b3c4d") so admins can tell two secrets apart. */
  readonly fingerprint: string;
  /** ISO timestamp of when this value was set. */
  readonly setAt: string;
  /** Non-secret facts derived from the value when it was set (certificate thumbprints, notAfter). */
  readonly info?: Readonly<Record<string, string>>;
}

export type StoredParameter = PlainParameter | SecretParameter;

/** When the secret or certificate in use expires, and where gatehouse learnt it (facts I). */
export interface CredentialExpiry {
  /** ISO timestamp. */
  readonly expiresAt: string;
  /** `graph`: the app registration itself; otherwise the fallbacks (the certificate's notAfter, SecretExpiresOn). */
  readonly source: 'graph' | 'certificate' | 'SecretExpiresOn';
  readonly credential: 'secret' | 'certificate';
  /** The secret's description or the certificate's display name in the portal. */
  readonly name?: string;
  /** Graph's keyId of the matching credential. */
  readonly keyId?: string;
}

/** Outcome of the last `connections test` (written by the doctor; a value, not an error). */
export interface ConnectionTestSummary {
  readonly ok: boolean;
  /** ISO timestamp. */
  readonly at: string;
  /** The failing check's error code, when `ok` is false. */
  readonly code?: string;
  readonly message?: string;
  /** The credential's expiry as the test found it (from Graph when the token may read the app registration). */
  readonly credentialExpiry?: CredentialExpiry;
}

/** Non-secret facts about the last token the connection obtained (written by the token provider). */
export interface ConnectionTokenState {
  /** ISO timestamp of the last successful token acquisition. */
  readonly acquiredAt?: string;
  /** ISO timestamp the current token expires. */
  readonly expiresAt?: string;
  /** Application permissions (`roles` claim) the last token carried. */
  readonly roles?: readonly string[];
  /** Error code of the last failed acquisition, cleared by the next success. */
  readonly lastErrorCode?: string;
  /** ISO timestamp of the last failed acquisition. */
  readonly lastErrorAt?: string;
}

export interface Connection {
  /** Stable id (UUID); names can change, ids never do. */
  readonly id: string;
  /** Display name, trimmed and NFKC-normalised, 1–100 characters, unique regardless of case; never UUID-shaped. */
  readonly name: string;
  /** Connection type name from the registry, e.g. `EntraID`. */
  readonly type: string;
  /** Optimistic-concurrency version: starts at 1, +1 on every configuration change. */
  readonly version: number;
  /** Parameters in the order the administrator gave them. */
  readonly parameters: readonly StoredParameter[];
  /** ISO timestamps. */
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly lastTest?: ConnectionTestSummary;
  readonly tokenState?: ConnectionTokenState;
}

/** Finds a parameter by canonical key. */
export function findParameter(connection: Pick<Connection, 'parameters'>, key: string): StoredParameter | undefined {
  return connection.parameters.find((p) => p.key === key);
}

/**
 * The lookup key that makes names unique regardless of case and of Unicode compatibility forms: NFKC, then lower
 * case, then NFKC again (lower-casing can leave a string that is not normalised).
 */
export function nameKey(name: string): string {
  return name.normalize('NFKC').trim().toLowerCase().normalize('NFKC');
}

/** The key names had before issue 12 (NFC): rows the NFKC migration could not re-key still answer to it. */
export function legacyNameKey(name: string): string {
  return name.trim().normalize('NFC').toLowerCase();
}
