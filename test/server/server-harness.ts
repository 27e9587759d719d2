import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAccountService } from '../../src/accounts/account-service.js';
import type { Role } from '../../src/accounts/roles.js';
import { type Clock, systemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { buildApp, type GatehouseApp } from '../../src/server/build-app.js';
import { SqlAccountRepository } from '../../src/store/account-repository.js';
import { createAuditLogRepository } from '../../src/store/audit-log-repository.js';
import { openDatabase } from '../../src/store/open-database.js';

/** Cheap scrypt for tests (the real cost is exercised by the password hasher's own test). */
export const TEST_PASSWORD_PARAMS = { cost: 1024, blockSize: 8, parallelization: 1 };
export const PASSWORD = 'correct horse battery staple';

export interface Caller {
  headers: Record<string, string>;
}

export interface TestServer {
  app: GatehouseApp;
  accounts: ReturnType<typeof createAccountService>;
  /** Logs in a fresh session for the account with that role: cookie + CSRF header. */
  session(role: Role): Promise<Caller>;
  /** An API token with that role. */
  token(role: Role): Promise<Caller>;
  close(): Promise<void>;
}

export function cookiesFrom(setCookie: string | string[] | undefined): Record<string, string> {
  const cookies: Record<string, string> = {};
  for (const line of [setCookie ?? []].flat()) {
    const [pair] = line.split(';');
    const index = pair!.indexOf('=');
    cookies[pair!.slice(0, index)] = pair!.slice(index + 1);
  }
  return cookies;
}

/** A real server over a fresh SQLite store with one account per role (username = role). */
export async function startTestServer(options: { clock?: Clock; maxLoginFailures?: number } = {}): Promise<TestServer> {
  const clock = options.clock ?? systemClock;
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-server-'));
  const store = await openDatabase({ dataDir: dir });
  const accounts = createAccountService({
    repository: new SqlAccountRepository(store.db),
    clock,
    passwordParams: TEST_PASSWORD_PARAMS,
    ...(options.maxLoginFailures ? { maxLoginFailures: options.maxLoginFailures } : {}),
  });
  for (const role of ['admin', 'operator', 'viewer'] as const) {
    await accounts.createAccount({ username: role, password: PASSWORD, role });
  }
  const app = await buildApp({
    accounts,
    audit: createAuditLogRepository(store.db, clock),
    clock,
    logger: silentLogger,
    checkReady: async () => {
      await store.db.selectFrom('gatehouse_meta').select('key').limit(1).execute();
    },
  });
  return {
    app,
    accounts,
    async session(role) {
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: role, password: PASSWORD },
      });
      if (response.statusCode !== 200) throw new Error(`login failed: ${response.body}`);
      const cookies = cookiesFrom(response.headers['set-cookie']);
      return {
        headers: {
          cookie: `gh_session=${cookies.gh_session}; gh_csrf=${cookies.gh_csrf}`,
          'x-csrf-token': cookies.gh_csrf!,
        },
      };
    },
    async token(role) {
      const { token } = await accounts.createApiToken({ name: `test-${role}`, role, createdBy: 'test' });
      return { headers: { authorization: `Bearer ${token}` } };
    },
    async close() {
      await app.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
