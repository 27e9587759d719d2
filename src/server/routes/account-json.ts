import type { Account, ApiToken } from '../../accounts/account.js';

/** The API shape of an account: never its password hash (the type has none). */
export function accountJson(account: Account) {
  return {
    id: account.id,
    username: account.username,
    role: account.role,
    disabled: account.disabled,
    createdAt: account.createdAt.toISOString(),
    ...(account.lastLoginAt ? { lastLoginAt: account.lastLoginAt.toISOString() } : {}),
  };
}

/** The API shape of an API token: its prefix, never the token or its hash. */
export function apiTokenJson(token: ApiToken) {
  return {
    id: token.id,
    name: token.name,
    prefix: token.prefix,
    role: token.role,
    createdBy: token.createdBy,
    createdAt: token.createdAt.toISOString(),
    ...(token.expiresAt ? { expiresAt: token.expiresAt.toISOString() } : {}),
    ...(token.lastUsedAt ? { lastUsedAt: token.lastUsedAt.toISOString() } : {}),
    ...(token.revokedAt ? { revokedAt: token.revokedAt.toISOString() } : {}),
  };
}
