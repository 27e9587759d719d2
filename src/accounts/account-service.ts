import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import type { Account, ApiToken, Principal, Session, StoredAccount } from './account.js';
import { createLoginThrottle, type LoginThrottleStore, type ThrottleScope } from './login-throttle.js';
import { generateOpaqueToken, hashOpaqueToken } from './opaque-token.js';
import { hashPassword, needsRehash, type PasswordHashParams, verifyPassword } from './password-hasher.js';
import type { AccountRepository } from './ports.js';
import { type Role, roleAllows } from './roles.js';

export interface AccountServiceOptions {
  repository: AccountRepository;
  clock: Clock;
  /** Idle session lifetime, extended on use (default 12 hours). */
  sessionTtlMs?: number;
  /** Absolute session lifetime from login, however active the session is (default 24 hours). */
  sessionMaxLifetimeMs?: number;
  /** Lifetime of the one-time setup link printed on first start (default 1 hour). */
  setupTtlMs?: number;
  /** scrypt parameters; tests lower the cost. */
  passwordParams?: PasswordHashParams;
  /** Login attempts allowed per user name and per (user name, address) before the backoff starts (default 5). */
  maxLoginFailures?: number;
  /** Where the login throttle keeps its counters: the store (shared by instances); default in memory. */
  loginThrottleStore?: LoginThrottleStore;
  /** Checks a password against a stored hash (default: the scrypt hasher); tests count the calls. */
  verifyPassword?: (password: string, stored: string) => Promise<boolean>;
}

/** Told when a login attempt is refused by the throttle; `firstInWindow` is true once per key and block. */
export type LoginThrottledListener = (event: {
  scope: ThrottleScope;
  retryAfterSeconds: number;
  firstInWindow: boolean;
}) => void;

export interface LoginResult {
  account: Account;
  /** Goes into the HttpOnly session cookie; never stored. */
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
}

export interface CreatedApiToken {
  apiToken: ApiToken;
  /** Shown once; only its hash is kept. */
  token: string;
}

export const MIN_PASSWORD_LENGTH = 12;
export const DEFAULT_SESSION_MAX_LIFETIME_MS = 24 * 3_600_000;
const USERNAME_PATTERN = /^[a-z0-9][a-z0-9._@-]{0,63}$/;
const SESSION_PREFIX = 'ghs_';
const API_TOKEN_PREFIX = 'gha_';
const SETUP_PREFIX = 'ghsetup_';

function publicAccount({ passwordHash: _hash, ...account }: StoredAccount): Account {
  return account;
}

function normaliseUsername(username: string): string {
  const name = username.trim().toLowerCase();
  if (!USERNAME_PATTERN.test(name)) {
    throw new AppError('ACCOUNT_INVALID_USERNAME', { details: { username: username.slice(0, 64) } });
  }
  return name;
}

function checkPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH) {
    throw new AppError('ACCOUNT_WEAK_PASSWORD', { details: { minLength: MIN_PASSWORD_LENGTH } });
  }
}

/** Local accounts, login sessions, API tokens and the first-admin setup link. */
export function createAccountService(options: AccountServiceOptions) {
  const { repository: repo, clock } = options;
  const sessionTtlMs = options.sessionTtlMs ?? 12 * 3_600_000;
  const sessionMaxMs = Math.max(60_000, options.sessionMaxLifetimeMs ?? DEFAULT_SESSION_MAX_LIFETIME_MS);
  const throttle = createLoginThrottle({
    clock,
    ...(options.loginThrottleStore ? { store: options.loginThrottleStore } : {}),
    maxFailures: options.maxLoginFailures ?? 5,
  });
  const verify = options.verifyPassword ?? verifyPassword;
  // Verifying against a dummy hash when the user does not exist keeps "no such user" as slow as "wrong password".
  const dummyHash = hashPassword('gatehouse-dummy-password', options.passwordParams);
  // lastUsedAt is written at most once a minute per token, so API calls do not each pay for a write.
  const tokenUseWritten = new Map<string, number>();

  async function findAccount(username: string): Promise<StoredAccount> {
    const account = await repo.findAccountByUsername(normaliseUsername(username));
    if (!account) throw new AppError('ACCOUNT_NOT_FOUND', { message: `No account named '${username}'.` });
    return account;
  }

  async function assertNotLastAdmin(account: StoredAccount, next: { role?: Role; disabled?: boolean }) {
    const losesAdmin = (next.role !== undefined && next.role !== 'admin') || next.disabled === true;
    if (account.role === 'admin' && !account.disabled && losesAdmin && (await repo.countActiveAdmins()) <= 1) {
      throw new AppError('ACCOUNT_LAST_ADMIN', { message: `'${account.username}' is the last active admin.` });
    }
  }

  async function startSession(account: StoredAccount, ip?: string): Promise<LoginResult> {
    const sessionToken = generateOpaqueToken(SESSION_PREFIX);
    const now = clock.now();
    const session: Session = {
      tokenHash: hashOpaqueToken(sessionToken),
      accountId: account.id,
      csrfToken: generateOpaqueToken(''),
      createdAt: now,
      expiresAt: new Date(now.getTime() + Math.min(sessionTtlMs, sessionMaxMs)),
      ...(ip ? { ip } : {}),
    };
    await repo.insertSession(session);
    await repo.updateAccount(account.id, { lastLoginAt: now });
    return {
      account: publicAccount({ ...account, lastLoginAt: now }),
      sessionToken,
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt,
    };
  }

  /** A hash made with weaker scrypt parameters (an older gatehouse) is re-made now that the password is known. */
  async function upgradePasswordHash(account: StoredAccount, password: string): Promise<void> {
    if (!needsRehash(account.passwordHash, options.passwordParams)) return;
    await repo.updateAccount(account.id, { passwordHash: await hashPassword(password, options.passwordParams) });
  }

  async function createAccount(input: { username: string; password: string; role: Role }): Promise<Account> {
    const username = normaliseUsername(input.username);
    checkPassword(input.password);
    if (await repo.findAccountByUsername(username)) {
      throw new AppError('ACCOUNT_USERNAME_TAKEN', { message: `An account named '${username}' already exists.` });
    }
    const account: StoredAccount = {
      id: randomUUID(),
      username,
      role: input.role,
      disabled: false,
      createdAt: clock.now(),
      passwordHash: await hashPassword(input.password, options.passwordParams),
    };
    await repo.insertAccount(account);
    return publicAccount(account);
  }

  return {
    createAccount,

    async listAccounts(): Promise<Account[]> {
      return repo.listAccounts();
    },

    async updateAccount(username: string, patch: { role?: Role; disabled?: boolean; password?: string }) {
      const account = await findAccount(username);
      await assertNotLastAdmin(account, patch);
      if (patch.password !== undefined) checkPassword(patch.password);
      const passwordHash =
        patch.password === undefined ? undefined : await hashPassword(patch.password, options.passwordParams);
      await repo.updateAccount(account.id, {
        ...(patch.role ? { role: patch.role } : {}),
        ...(patch.disabled === undefined ? {} : { disabled: patch.disabled }),
        ...(passwordHash ? { passwordHash } : {}),
      });
      // A changed password, role or a disabled account ends the account's sessions.
      await repo.deleteSessionsOf(account.id);
      return publicAccount((await repo.findAccountById(account.id)) as StoredAccount);
    },

    async deleteAccount(username: string): Promise<void> {
      const account = await findAccount(username);
      await assertNotLastAdmin(account, { disabled: true });
      await repo.deleteSessionsOf(account.id);
      await repo.deleteAccount(account.id);
    },

    async hasAdmin(): Promise<boolean> {
      return (await repo.countActiveAdmins()) > 0;
    },

    /** Checks the password; throws AUTH_RATE_LIMITED or AUTH_INVALID_CREDENTIALS (never says which part was wrong). */
    async login(input: {
      username: string;
      password: string;
      ip?: string;
      onThrottled?: LoginThrottledListener;
    }): Promise<LoginResult> {
      const username = input.username.trim().toLowerCase();
      // Counted before the password is checked, so concurrent attempts cannot all slip through (finding 2).
      const decision = await throttle.reserve(username, input.ip);
      if (!decision.allowed) {
        input.onThrottled?.(decision);
        throw new AppError('AUTH_RATE_LIMITED', { details: { retryAfterSeconds: decision.retryAfterSeconds } });
      }
      const account = USERNAME_PATTERN.test(username) ? await repo.findAccountByUsername(username) : undefined;
      const valid = await verify(input.password, account?.passwordHash ?? (await dummyHash));
      if (!account || !valid || account.disabled) throw new AppError('AUTH_INVALID_CREDENTIALS');
      await throttle.succeeded(username, input.ip);
      await upgradePasswordHash(account, input.password);
      return startSession(account, input.ip);
    },

    /** The principal and session behind a session cookie, extending it; undefined when unknown or expired. */
    async authenticateSession(
      sessionToken: string,
    ): Promise<{ principal: Principal; session: Session; renewedUntil?: Date } | undefined> {
      const tokenHash = hashOpaqueToken(sessionToken);
      const session = await repo.findSession(tokenHash);
      if (!session) return undefined;
      const now = clock.nowMs();
      const endsAt = session.createdAt.getTime() + sessionMaxMs;
      if (session.expiresAt.getTime() <= now || endsAt <= now) {
        await repo.deleteSession(tokenHash);
        return undefined;
      }
      const account = await repo.findAccountById(session.accountId);
      if (!account || account.disabled) return undefined;
      // Extend at most once a minute, so reads do not write on every request.
      let renewedUntil: Date | undefined;
      const until = Math.min(now + sessionTtlMs, endsAt);
      if (session.expiresAt.getTime() - now < sessionTtlMs - 60_000 && until > session.expiresAt.getTime()) {
        // Never past the absolute lifetime: an active session still ends sessionMaxMs after its login.
        renewedUntil = new Date(until);
        await repo.extendSession(tokenHash, renewedUntil);
      }
      const principal: Principal = { kind: 'account', id: account.id, name: account.username, role: account.role };
      return { principal, session, ...(renewedUntil ? { renewedUntil } : {}) };
    },

    async logout(sessionToken: string): Promise<void> {
      await repo.deleteSession(hashOpaqueToken(sessionToken));
    },

    async createApiToken(input: {
      name: string;
      role: Role;
      expiresAt?: Date;
      createdBy: string;
      /** Who asks: an account owns the token; a token passes on its own owner. Absent = the command line. */
      creator?: Principal;
    }) {
      const name = input.name.trim();
      if (name.length === 0 || name.length > 100) {
        throw new AppError('REQUEST_INVALID', { message: 'A token name is 1 to 100 characters.' });
      }
      if (input.expiresAt && input.expiresAt.getTime() <= clock.nowMs()) {
        throw new AppError('REQUEST_INVALID', { message: 'The token expiry must be in the future.' });
      }
      const ownerAccountId =
        input.creator?.kind === 'account'
          ? input.creator.id
          : input.creator?.kind === 'token'
            ? (await repo.findApiTokenById(input.creator.id))?.ownerAccountId
            : undefined;
      const token = generateOpaqueToken(API_TOKEN_PREFIX);
      const apiToken: ApiToken = {
        id: randomUUID(),
        name,
        prefix: token.slice(0, API_TOKEN_PREFIX.length + 6),
        role: input.role,
        createdBy: input.createdBy,
        createdAt: clock.now(),
        ...(input.expiresAt ? { expiresAt: input.expiresAt } : {}),
        ...(ownerAccountId ? { ownerAccountId } : {}),
      };
      await repo.insertApiToken(apiToken, hashOpaqueToken(token));
      return { apiToken, token } satisfies CreatedApiToken;
    },

    /** The principal behind a bearer token; undefined when unknown or revoked, AUTH_TOKEN_EXPIRED when expired. */
    async authenticateApiToken(token: string): Promise<Principal | undefined> {
      const apiToken = await repo.findApiTokenByHash(hashOpaqueToken(token));
      if (!apiToken || apiToken.revokedAt) return undefined;
      // A token lives no longer than its account: refused while the owner is disabled (or gone), and never above
      // the owner's current role.
      let role = apiToken.role;
      if (apiToken.ownerAccountId) {
        const owner = await repo.findAccountById(apiToken.ownerAccountId);
        if (!owner || owner.disabled) return undefined;
        if (!roleAllows(owner.role, role)) role = owner.role;
      }
      const now = clock.now();
      if (apiToken.expiresAt && apiToken.expiresAt.getTime() <= now.getTime()) {
        throw new AppError('AUTH_TOKEN_EXPIRED', { details: { tokenId: apiToken.id, name: apiToken.name } });
      }
      if (now.getTime() - (tokenUseWritten.get(apiToken.id) ?? 0) >= 60_000) {
        tokenUseWritten.set(apiToken.id, now.getTime());
        await repo.markApiTokenUsed(apiToken.id, now);
      }
      return { kind: 'token', id: apiToken.id, name: `token:${apiToken.name}`, role };
    },

    async listApiTokens(): Promise<ApiToken[]> {
      return repo.listApiTokens();
    },

    async revokeApiToken(id: string): Promise<void> {
      if (!(await repo.revokeApiToken(id, clock.now()))) {
        throw new AppError('API_TOKEN_NOT_FOUND', { message: `No API token with id '${id}'.` });
      }
    },

    /** A one-time link token for creating the first admin; undefined once an admin exists. */
    async createSetupToken(): Promise<string | undefined> {
      if ((await repo.countActiveAdmins()) > 0) return undefined;
      const token = generateOpaqueToken(SETUP_PREFIX);
      await repo.insertSetupToken(hashOpaqueToken(token), new Date(clock.nowMs() + (options.setupTtlMs ?? 3_600_000)));
      return token;
    },

    /** Uses the setup link once to create the first admin, and logs them in. */
    async completeSetup(input: { setupToken: string; username: string; password: string; ip?: string }) {
      normaliseUsername(input.username);
      checkPassword(input.password);
      if (
        (await repo.countActiveAdmins()) > 0 ||
        !(await repo.consumeSetupToken(hashOpaqueToken(input.setupToken), clock.now()))
      ) {
        throw new AppError('AUTH_SETUP_INVALID');
      }
      const account = await createAccount({ username: input.username, password: input.password, role: 'admin' });
      return startSession((await repo.findAccountById(account.id)) as StoredAccount, input.ip);
    },
  };
}

export type AccountService = ReturnType<typeof createAccountService>;
