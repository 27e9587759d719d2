import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEFAULT_APP_PERMISSIONS } from '../../src/emulator/index.js';
import { type RunningServer, startServer } from '../../src/server/start-server.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { ensureWebBuild, launchBrowser } from './browser-harness.js';
import type { Viewport } from './page-checks.js';

export const PASSWORD = 'console test password';
/** Synced, healthy, and its app holds a directory role (User Administrator), so password resets work. */
export const GOOD = 'Contoso HR';
/** Its secret is wrong: every sync and test of it fails with ENTRA_INVALID_CLIENT_SECRET. */
export const BROKEN = 'Broken HR';
export const WRONG_SECRET = 'wrong~secret~value~0123456789abcdef';

export interface ConsoleFixture {
  fx: GatehouseFixture;
  server: RunningServer;
  browser: Browser;
  /** Client id of the broken connection's app (to count its token requests in the emulator's log). */
  brokenClientId: string;
  legalTeam: { id: string; displayName: string };
  disabledMember: { id: string; displayName: string };
  close(): Promise<void>;
}

/**
 * One gatehouse + emulator (profile `exact`: the tests count requests) + server + Chromium for the console tests:
 * accounts admin, otto (operator) and vera (viewer); a healthy synced connection and a broken one; two users named
 * "Adele Chen" (the checker must tell them apart) and a disabled member the sync leaves out.
 */
export async function startConsoleFixture(): Promise<ConsoleFixture> {
  const webRoot = ensureWebBuild();
  const fx = await startGatehouseFixture({
    createConnection: false,
    emulator: { profile: 'exact', users: 30, groups: 6, seed: 'console' },
  });
  const dir = fx.emulator.directory;
  const legal = dir.createGroup({ displayName: 'Legal Team' });
  const adele = dir.createUser({
    displayName: 'Adele Chen',
    userPrincipalName: `adele.chen.legal@${fx.emulator.tenant.domain}`,
  });
  dir.createUser({ displayName: 'Adele Chen', userPrincipalName: `adele.chen.finance@${fx.emulator.tenant.domain}` });
  const dora = dir.createUser({ displayName: 'Dora Disabled', accountEnabled: false });
  for (const displayName of ['Lena Legal', 'Liam Legal', 'Lara Legal']) {
    dir.addMember(legal.id, dir.createUser({ displayName }).id);
  }
  dir.addMember(legal.id, adele.id);
  dir.addMember(legal.id, dora.id);
  const privileged = fx.emulator.registerApp({
    applicationPermissions: [...DEFAULT_APP_PERMISSIONS],
    canManagePrivileged: true,
  });
  await fx.createConnectionFor(GOOD, privileged);
  const broken = fx.emulator.registerApp({ applicationPermissions: [...DEFAULT_APP_PERMISSIONS] });
  await fx.createConnectionFor(BROKEN, broken, { ClientSecret: WRONG_SECRET });
  await fx.gatehouse.sync.run(GOOD);
  for (const [username, role] of [
    ['admin', 'admin'],
    ['otto', 'operator'],
    ['vera', 'viewer'],
  ] as const) {
    await fx.gatehouse.accounts.createAccount({ username, password: PASSWORD, role });
  }
  const server = await startServer(fx.gatehouse, { port: 0, webRoot });
  const browser = await launchBrowser();
  return {
    fx,
    server,
    browser,
    brokenClientId: broken.clientId,
    legalTeam: { id: legal.id, displayName: 'Legal Team' },
    disabledMember: { id: dora.id, displayName: 'Dora Disabled' },
    async close() {
      await browser.close();
      await server.close();
      await fx.close();
    },
  };
}

/** A fresh browser context at this viewport, signed in as `username`. */
export async function signedIn(
  cf: ConsoleFixture,
  viewport: Viewport,
  username = 'admin',
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await cf.browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
  const page = await context.newPage();
  await page.goto(`${cf.server.url}/connections`);
  await page.getByLabel('User name').fill(username);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Connections' }).waitFor();
  return { context, page };
}

/** Opens a page of the console by its menu, as a person would (through the Menu button on a phone). */
export async function openPage(page: Page, viewport: Viewport, label: string): Promise<void> {
  if (viewport.name === 'narrow') await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: label, exact: true }).click();
}
