import type { Role } from './roles.js';

/** A local account of a person who uses the web UI (machines use API tokens instead). */
export interface Account {
  readonly id: string;
  /** Unique regardless of case; stored lower-cased. */
  readonly username: string;
  readonly role: Role;
  readonly disabled: boolean;
  readonly createdAt: Date;
  readonly lastLoginAt?: Date;
}

/** An account with its password hash, as the repository stores it. Never leaves the accounts module. */
export interface StoredAccount extends Account {
  readonly passwordHash: string;
}

/** A login session. The cookie holds the session token; the store holds only its SHA-256. */
export interface Session {
  readonly tokenHash: string;
  readonly accountId: string;
  /** Double-submit CSRF token bound to this session (sent back as the `x-csrf-token` header on writes). */
  readonly csrfToken: string;
  readonly createdAt: Date;
  readonly expiresAt: Date;
  readonly ip?: string;
}

/** An API token for machines: shown once at creation, stored hashed, with a role and an optional expiry. */
export interface ApiToken {
  readonly id: string;
  readonly name: string;
  /** The first characters of the token, so an admin can tell tokens apart without seeing them. */
  readonly prefix: string;
  readonly role: Role;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly expiresAt?: Date;
  readonly lastUsedAt?: Date;
  readonly revokedAt?: Date;
  /** The account that created it: the token is refused while that account is disabled, deleted with it. */
  readonly ownerAccountId?: string;
}

/** Who is calling: a person through a session, or a machine through an API token. */
export interface Principal {
  readonly kind: 'account' | 'token';
  readonly id: string;
  /** Username, or `token:<name>`; what the audit log records as "who". */
  readonly name: string;
  readonly role: Role;
}
