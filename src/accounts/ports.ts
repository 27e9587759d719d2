import type { Account, ApiToken, Session, StoredAccount } from './account.js';
import type { Role } from './roles.js';

export interface AccountPatch {
  role?: Role;
  disabled?: boolean;
  passwordHash?: string;
  lastLoginAt?: Date;
}

/** Storage of accounts, sessions, API tokens and one-time setup links (implemented in src/store). */
export interface AccountRepository {
  insertAccount(account: StoredAccount): Promise<void>;
  findAccountById(id: string): Promise<StoredAccount | undefined>;
  /** `username` is already lower-cased. */
  findAccountByUsername(username: string): Promise<StoredAccount | undefined>;
  listAccounts(): Promise<Account[]>;
  updateAccount(id: string, patch: AccountPatch): Promise<void>;
  /** Deletes the account with its sessions and the API tokens it owns, in one transaction. */
  deleteAccount(id: string): Promise<void>;
  countActiveAdmins(): Promise<number>;

  insertSession(session: Session): Promise<void>;
  findSession(tokenHash: string): Promise<Session | undefined>;
  extendSession(tokenHash: string, expiresAt: Date): Promise<void>;
  deleteSession(tokenHash: string): Promise<void>;
  deleteSessionsOf(accountId: string): Promise<void>;

  insertApiToken(token: ApiToken, tokenHash: string): Promise<void>;
  findApiTokenByHash(tokenHash: string): Promise<ApiToken | undefined>;
  findApiTokenById(id: string): Promise<ApiToken | undefined>;
  listApiTokens(): Promise<ApiToken[]>;
  markApiTokenUsed(id: string, at: Date): Promise<void>;
  /** Returns false when no such token exists. */
  revokeApiToken(id: string, at: Date): Promise<boolean>;

  insertSetupToken(tokenHash: string, expiresAt: Date): Promise<void>;
  /** Atomically marks the link used; false when unknown, used or expired. */
  consumeSetupToken(tokenHash: string, at: Date): Promise<boolean>;
}
