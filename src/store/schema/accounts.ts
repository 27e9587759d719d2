/** `accounts`: local accounts of people (src/accounts/account.ts). `password_hash` is a scrypt hash, never a password. */
export interface AccountsTable {
  id: string;
  /** Lower-cased, unique. */
  username: string;
  role: string;
  password_hash: string;
  /** 0/1. */
  disabled: number;
  created_at: string;
  last_login_at: string | null;
}

/** `account_sessions`: login sessions, keyed by the SHA-256 of the cookie's token (the token itself is never stored). */
export interface AccountSessionsTable {
  token_hash: string;
  account_id: string;
  csrf_token: string;
  created_at: string;
  expires_at: string;
  ip: string | null;
}

/** `api_tokens`: machine tokens, stored as the SHA-256 of the token. */
export interface ApiTokensTable {
  id: string;
  name: string;
  token_hash: string;
  prefix: string;
  role: string;
  created_by: string;
  created_at: string;
  expires_at: string | null;
  last_used_at: string | null;
  revoked_at: string | null;
  /** The account that created the token (deleted with it); null for tokens made on the command line. */
  owner_account_id: string | null;
}

/** `setup_tokens`: one-time links for creating the first admin, stored hashed. */
export interface SetupTokensTable {
  token_hash: string;
  expires_at: string;
  used_at: string | null;
}
