import { createAccountService } from '../../src/accounts/account-service.js';
import type { Role } from '../../src/accounts/roles.js';
import { type Clock, systemClock } from '../../src/core/clock.js';
import type { Logger } from '../../src/core/logger.js';
import type { EmulatorOptions } from '../../src/emulator/index.js';
import { buildApp, type GatehouseApp } from '../../src/server/build-app.js';
import { createServerDeps, type ServerOptions } from '../../src/server/create-server-deps.js';
import { SqlAccountRepository } from '../../src/store/account-repository.js';
import { createLoginThrottleRepository } from '../../src/store/login-throttle-repository.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

/** Cheap scrypt for tests (the real cost is exercised by the password hasher's own test). */
export const TEST_PASSWORD_PARAMS = { cost: 1024, blockSize: 8, parallelization: 1 };
export const PASSWORD = 'correct horse battery staple';

export interface Caller {
  headers: Record<string, string>;
}

export interface TestServer {
  app: GatehouseApp;
  accounts: ReturnType<typeof createAccountService>;
  fixture: GatehouseFixture;
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

/**
 * A real server over a real gatehouse (fresh store, emulator, one EntraID connection `entra-test`) with one account
 * per role (username = role).
 */
export async function startTestServer(
  options: {
    clock?: Clock;
    maxLoginFailures?: number;
    /** Replaces the password check (tests count the real verifications). */
    verifyPassword?: (password: string, stored: string) => Promise<boolean>;
    webRoot?: string;
    publicUrl?: string;
    logger?: Logger;
    emulator?: EmulatorOptions;
    /** More server options (trust proxy, allowed hosts, bound address). */
    server?: Pick<ServerOptions, 'trustProxy' | 'allowedHosts' | 'bindHost'>;
    /** Absolute session lifetime of the accounts service. */
    sessionMaxLifetimeMs?: number;
  } = {},
): Promise<TestServer> {
  const clock = options.clock ?? systemClock;
  const fixture = await startGatehouseFixture({
    ...(options.clock ? { clock } : {}),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.emulator ? { emulator: options.emulator } : {}),
  });
  const accounts = createAccountService({
    repository: new SqlAccountRepository(fixture.gatehouse.store.db),
    clock,
    passwordParams: TEST_PASSWORD_PARAMS,
    loginThrottleStore: createLoginThrottleRepository(fixture.gatehouse.store.db),
    ...(options.maxLoginFailures ? { maxLoginFailures: options.maxLoginFailures } : {}),
    ...(options.verifyPassword ? { verifyPassword: options.verifyPassword } : {}),
    ...(options.sessionMaxLifetimeMs ? { sessionMaxLifetimeMs: options.sessionMaxLifetimeMs } : {}),
  });
  for (const role of ['admin', 'operator', 'viewer'] as const) {
    await accounts.createAccount({ username: role, password: PASSWORD, role });
  }
  const deps = createServerDeps(fixture.gatehouse, {
    ...options.server,
    ...(options.webRoot ? { webRoot: options.webRoot } : {}),
    ...(options.publicUrl ? { publicUrl: options.publicUrl } : {}),
  });
  const app = await buildApp({ ...deps, accounts });
  return {
    app,
    accounts,
    fixture,
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
      await fixture.close();
    },
  };
}
