import type { Kysely, Selectable } from 'kysely';
import type { Account, ApiToken, Session, StoredAccount } from '../accounts/account.js';
import type { AccountPatch, AccountRepository } from '../accounts/ports.js';
import { isRole, type Role } from '../accounts/roles.js';
import type { AccountsTable, ApiTokensTable } from './schema/accounts.js';
import type { Database } from './schema.js';

function toRole(value: string): Role {
  // A role written by an older or newer version that this one does not know grants the least.
  return isRole(value) ? value : 'viewer';
}

function optionalDate(value: string | null): Date | undefined {
  return value === null ? undefined : new Date(value);
}

function toStoredAccount(row: Selectable<AccountsTable>): StoredAccount {
  const lastLoginAt = optionalDate(row.last_login_at);
  return {
    id: row.id,
    username: row.username,
    role: toRole(row.role),
    disabled: row.disabled === 1,
    createdAt: new Date(row.created_at),
    passwordHash: row.password_hash,
    ...(lastLoginAt ? { lastLoginAt } : {}),
  };
}

function toApiToken(row: Selectable<ApiTokensTable>): ApiToken {
  const expiresAt = optionalDate(row.expires_at);
  const lastUsedAt = optionalDate(row.last_used_at);
  const revokedAt = optionalDate(row.revoked_at);
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    role: toRole(row.role),
    createdBy: row.created_by,
    createdAt: new Date(row.created_at),
    ...(expiresAt ? { expiresAt } : {}),
    ...(lastUsedAt ? { lastUsedAt } : {}),
    ...(revokedAt ? { revokedAt } : {}),
    ...(row.owner_account_id ? { ownerAccountId: row.owner_account_id } : {}),
  };
}

/** Accounts, sessions, API tokens and setup links in the gatehouse store (SQLite or PostgreSQL). */
export class SqlAccountRepository implements AccountRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async insertAccount(account: StoredAccount): Promise<void> {
    await this.db
      .insertInto('accounts')
      .values({
        id: account.id,
        username: account.username,
        role: account.role,
        password_hash: account.passwordHash,
        disabled: account.disabled ? 1 : 0,
        created_at: account.createdAt.toISOString(),
        last_login_at: account.lastLoginAt?.toISOString() ?? null,
      })
      .execute();
  }

  async findAccountById(id: string): Promise<StoredAccount | undefined> {
    const row = await this.db.selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toStoredAccount(row);
  }

  async findAccountByUsername(username: string): Promise<StoredAccount | undefined> {
    const row = await this.db.selectFrom('accounts').selectAll().where('username', '=', username).executeTakeFirst();
    return row && toStoredAccount(row);
  }

  async listAccounts(): Promise<Account[]> {
    const rows = await this.db.selectFrom('accounts').selectAll().orderBy('username').execute();
    return rows.map((row) => {
      const { passwordHash: _hash, ...account } = toStoredAccount(row);
      return account;
    });
  }

  async updateAccount(id: string, patch: AccountPatch): Promise<void> {
    const values = {
      ...(patch.role ? { role: patch.role } : {}),
      ...(patch.disabled === undefined ? {} : { disabled: patch.disabled ? 1 : 0 }),
      ...(patch.passwordHash ? { password_hash: patch.passwordHash } : {}),
      ...(patch.lastLoginAt ? { last_login_at: patch.lastLoginAt.toISOString() } : {}),
    };
    if (Object.keys(values).length === 0) return;
    await this.db.updateTable('accounts').set(values).where('id', '=', id).execute();
  }

  /** The account, its sessions and its API tokens, in one transaction: no token outlives its account. */
  async deleteAccount(id: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom('api_tokens').where('owner_account_id', '=', id).execute();
      await trx.deleteFrom('account_sessions').where('account_id', '=', id).execute();
      await trx.deleteFrom('accounts').where('id', '=', id).execute();
    });
  }

  async countActiveAdmins(): Promise<number> {
    const row = await this.db
      .selectFrom('accounts')
      .select((eb) => eb.fn.countAll<string | number>().as('n'))
      .where('role', '=', 'admin')
      .where('disabled', '=', 0)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  async insertSession(session: Session): Promise<void> {
    await this.db
      .insertInto('account_sessions')
      .values({
        token_hash: session.tokenHash,
        account_id: session.accountId,
        csrf_token: session.csrfToken,
        created_at: session.createdAt.toISOString(),
        expires_at: session.expiresAt.toISOString(),
        ip: session.ip ?? null,
      })
      .execute();
  }

  async findSession(tokenHash: string): Promise<Session | undefined> {
    const row = await this.db
      .selectFrom('account_sessions')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    if (!row) return undefined;
    return {
      tokenHash: row.token_hash,
      accountId: row.account_id,
      csrfToken: row.csrf_token,
      createdAt: new Date(row.created_at),
      expiresAt: new Date(row.expires_at),
      ...(row.ip ? { ip: row.ip } : {}),
    };
  }

  async extendSession(tokenHash: string, expiresAt: Date): Promise<void> {
    await this.db
      .updateTable('account_sessions')
      .set({ expires_at: expiresAt.toISOString() })
      .where('token_hash', '=', tokenHash)
      .execute();
  }

  async deleteSession(tokenHash: string): Promise<void> {
    await this.db.deleteFrom('account_sessions').where('token_hash', '=', tokenHash).execute();
  }

  async deleteSessionsOf(accountId: string): Promise<void> {
    await this.db.deleteFrom('account_sessions').where('account_id', '=', accountId).execute();
  }

  async insertApiToken(token: ApiToken, tokenHash: string): Promise<void> {
    await this.db
      .insertInto('api_tokens')
      .values({
        id: token.id,
        name: token.name,
        token_hash: tokenHash,
        prefix: token.prefix,
        role: token.role,
        created_by: token.createdBy,
        created_at: token.createdAt.toISOString(),
        expires_at: token.expiresAt?.toISOString() ?? null,
        last_used_at: null,
        revoked_at: null,
        owner_account_id: token.ownerAccountId ?? null,
      })
      .execute();
  }

  async findApiTokenByHash(tokenHash: string): Promise<ApiToken | undefined> {
    const row = await this.db
      .selectFrom('api_tokens')
      .selectAll()
      .where('token_hash', '=', tokenHash)
      .executeTakeFirst();
    return row && toApiToken(row);
  }

  async findApiTokenById(id: string): Promise<ApiToken | undefined> {
    const row = await this.db.selectFrom('api_tokens').selectAll().where('id', '=', id).executeTakeFirst();
    return row && toApiToken(row);
  }

  async listApiTokens(): Promise<ApiToken[]> {
    const rows = await this.db.selectFrom('api_tokens').selectAll().orderBy('created_at', 'desc').execute();
    return rows.map(toApiToken);
  }

  async markApiTokenUsed(id: string, at: Date): Promise<void> {
    await this.db.updateTable('api_tokens').set({ last_used_at: at.toISOString() }).where('id', '=', id).execute();
  }

  async revokeApiToken(id: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('api_tokens')
      .set({ revoked_at: at.toISOString() })
      .where('id', '=', id)
      .where('revoked_at', 'is', null)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }

  async insertSetupToken(tokenHash: string, expiresAt: Date): Promise<void> {
    await this.db
      .insertInto('setup_tokens')
      .values({ token_hash: tokenHash, expires_at: expiresAt.toISOString(), used_at: null })
      .execute();
  }

  async consumeSetupToken(tokenHash: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('setup_tokens')
      .set({ used_at: at.toISOString() })
      .where('token_hash', '=', tokenHash)
      .where('used_at', 'is', null)
      .where('expires_at', '>', at.toISOString())
      .executeTakeFirst();
    return Number(result.numUpdatedRows) > 0;
  }
}
