import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { type RunningServer, startServer } from '../../src/server/start-server.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { browserSkipReason, ensureWebBuild, launchBrowser, screenshot } from './browser-harness.js';

const skip = browserSkipReason();
const ADMIN_PASSWORD = 'browser test password';
const CONNECTION = 'Contoso HR';

interface Member {
  id: string;
  type: 'user' | 'group';
  displayName: string | null;
  userPrincipalName?: string;
}

/** A user who is in `outer` only through the nested group `inner` (found through the API, as any client would). */
async function findNestedMembership(server: RunningServer, token: string) {
  const api = async <T>(path: string) =>
    (await (await fetch(`${server.url}/api/v1${path}`, { headers: { authorization: `Bearer ${token}` } })).json()) as T;
  const groups = await api<{ id: string; displayName: string }[]>(
    `/directory/${encodeURIComponent(CONNECTION)}/groups?limit=1000`,
  );
  for (const outer of groups) {
    const members = await api<Member[]>(`/directory/${encodeURIComponent(CONNECTION)}/groups/${outer.id}/members`);
    const directUsers = new Set(members.filter((m) => m.type === 'user').map((m) => m.id));
    for (const inner of members.filter((m) => m.type === 'group')) {
      const innerMembers = await api<Member[]>(
        `/directory/${encodeURIComponent(CONNECTION)}/groups/${inner.id}/members`,
      );
      const user = innerMembers.find((m) => m.type === 'user' && !directUsers.has(m.id));
      if (user?.userPrincipalName) return { outer, inner, user };
    }
  }
  throw new Error('the emulated tenant has no nested membership');
}

describe('web UI in headless Chromium', { skip }, () => {
  let fx: GatehouseFixture;
  let server: RunningServer;
  let browser: Browser;
  let page: Page;

  before(async () => {
    const webRoot = ensureWebBuild();
    fx = await startGatehouseFixture({ createConnection: false, emulator: { users: 40, groups: 12 } });
    await fx.gatehouse.accounts.createAccount({ username: 'admin', password: ADMIN_PASSWORD, role: 'admin' });
    server = await startServer(fx.gatehouse, { port: 0, webRoot });
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1366, height: 800 } });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await fx?.close();
  });

  test('log in', async () => {
    await page.goto(server.url);
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await screenshot(page, '01-login');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Connections' }).waitFor();
  });

  test('create an EntraID connection through the dialog with (+) rows; trim and Secret-ID warnings; Test passes', async () => {
    const app = fx.emulator.defaultApp;
    await page.getByRole('button', { name: 'Create' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill(CONNECTION);
    assert.equal(await dialog.getByLabel('Type').inputValue(), 'EntraID');
    const add = dialog.getByRole('button', { name: 'Add parameter' });
    const value = (key: string) => dialog.locator(`.parameter-row[data-key="${key}"] input.value`);

    await add.click();
    await value('TenantID').fill(`  ${fx.emulator.tenant.id} `);
    await dialog.getByText('Leading or trailing spaces').waitFor();
    await add.click();
    await value('ClientID').fill(app.clientId);
    await add.click();
    await value('ClientSecret').fill('3f2b8c1e-5d4a-4b7e-9c1f-2a6d8e0b4c7a');
    await dialog.getByText('looks like the Secret ID').waitFor();
    await dialog.locator('.parameter-row[data-key="TenantID"] .where').waitFor();
    await screenshot(page, '02-dialog-warnings');
    await value('ClientSecret').fill(app.secretValue!);
    assert.equal(await dialog.getByText('looks like the Secret ID').count(), 0);
    for (const key of ['AuthorityHost', 'GraphEndpoint']) {
      await add.click();
      await dialog.locator('.parameter-row').last().locator('input.key').fill(key);
      await value(key).fill(fx.emulator.url);
    }
    await dialog.getByRole('button', { name: 'Test' }).click();
    await dialog.getByTestId('test-result').filter({ hasText: 'all checks passed' }).waitFor({ timeout: 30_000 });
    assert.equal(await dialog.locator('.check.fail').count(), 0);
    await screenshot(page, '03-test-passed');
    await dialog.getByRole('button', { name: 'Create' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByText('Removed spaces around: TenantID').waitFor();
  });

  test('break the secret: Test shows ENTRA_INVALID_CLIENT_SECRET with its hint; then restore it', async () => {
    await page.locator(`tr[data-connection="${CONNECTION}"]`).getByRole('button', { name: 'Edit' }).click();
    const dialog = page.getByRole('dialog');
    const secret = dialog.locator('.parameter-row[data-key="ClientSecret"] input.value');
    assert.equal(await secret.inputValue(), '', 'the saved secret is never sent back to the browser');
    assert.match(String(await secret.getAttribute('placeholder')), /leave empty to keep the current secret/);
    await secret.fill('wrong~secret~value~0123456789abcdef');
    await dialog.getByRole('button', { name: 'Test' }).click();
    const failed = dialog.locator('.check.fail');
    await failed.filter({ hasText: 'ENTRA_INVALID_CLIENT_SECRET' }).waitFor({ timeout: 30_000 });
    assert.match(await failed.innerText(), /Secret ID may have been pasted instead of the secret Value/);
    await screenshot(page, '04-test-invalid-secret');
    await secret.fill(fx.emulator.defaultApp.secretValue!);
    await dialog.getByRole('button', { name: 'Update' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.locator(`tr[data-connection="${CONNECTION}"]`).waitFor();
    await page.locator(`tr[data-connection="${CONNECTION}"]`).getByRole('button', { name: 'Test' }).click();
    await page.getByTestId('test-result').filter({ hasText: 'all checks passed' }).waitFor({ timeout: 30_000 });
    await screenshot(page, '05-connections');
  });

  test('export (no secret inside), import asking for the left-out secret, copy and remove', async () => {
    const row = page.locator(`tr[data-connection="${CONNECTION}"]`);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      row.getByRole('button', { name: 'Export' }).click(),
    ]);
    const exported = JSON.parse(await readFile((await download.path())!, 'utf8')) as { name: string };
    assert.equal(JSON.stringify(exported).includes(fx.emulator.defaultApp.secretValue!), false);
    exported.name = 'Imported HR';
    await page.locator('input[type="file"]').setInputFiles({
      name: 'export.json',
      mimeType: 'application/json',
      buffer: Buffer.from(JSON.stringify(exported)),
    });
    const ask = page.getByRole('dialog', { name: 'The export left out a secret' });
    await ask.getByLabel('ClientSecret').fill(fx.emulator.defaultApp.secretValue!);
    await ask.getByRole('button', { name: 'Import' }).click();
    await page.locator('tr[data-connection="Imported HR"]').waitFor();

    await row.getByRole('button', { name: 'Copy' }).click();
    const copy = page.getByRole('dialog', { name: `Copy ${CONNECTION}` });
    await copy.getByLabel('Name of the copy').fill('HR copy');
    await copy.getByRole('button', { name: 'Copy' }).click();
    await page.locator('tr[data-connection="HR copy"]').waitFor();
    for (const name of ['HR copy', 'Imported HR']) {
      await page.locator(`tr[data-connection="${name}"]`).getByRole('button', { name: 'Remove' }).click();
      await page
        .getByRole('dialog', { name: `Remove ${name}?` })
        .getByRole('button', { name: 'Remove' })
        .click();
      await page.locator(`tr[data-connection="${name}"]`).waitFor({ state: 'detached' });
    }
  });

  test('run a sync and watch the progress bar reach the end', async () => {
    await page.getByRole('link', { name: 'Sync' }).click();
    await page.getByRole('heading', { name: 'Sync' }).waitFor();
    await page.getByRole('button', { name: 'Run now' }).click();
    const bar = page.locator('#sync-progress');
    await page.getByTestId('sync-status').filter({ hasText: 'succeeded' }).waitFor({ timeout: 60_000 });
    assert.equal(await bar.getAttribute('value'), '100');
    await page.getByText('Finished').waitFor();
    await screenshot(page, '06-sync');
    await page.getByRole('link', { name: 'Connections' }).click();
    const row = page.locator(`tr[data-connection="${CONNECTION}"]`);
    await row.getByText(/^succeeded, /).waitFor();
    assert.match(await row.innerText(), /healthy/);
  });

  test('check a nested membership and see its path', async () => {
    const { token } = await fx.gatehouse.accounts.createApiToken({
      name: 'browser',
      role: 'viewer',
      createdBy: 'test',
    });
    const nested = await findNestedMembership(server, token);
    await page.getByRole('link', { name: 'Directory' }).click();
    await page.getByRole('heading', { name: 'Membership checker' }).waitFor();
    await page.getByRole('combobox', { name: 'User' }).fill(nested.user.userPrincipalName!);
    await page.getByRole('combobox', { name: 'Group' }).fill(nested.outer.id);
    await page.getByRole('button', { name: 'Check' }).click();
    const answer = page.getByTestId('membership-answer');
    await answer.getByText('Member', { exact: true }).waitFor();
    const steps = await answer.getByRole('list', { name: 'Membership path' }).getByRole('listitem').allInnerTexts();
    assert.equal(steps.at(-1), nested.outer.displayName);
    assert.ok(steps.length >= 3, `the path goes through a nested group: ${steps.join(' → ')}`);
    await page
      .getByRole('list', { name: 'Groups' })
      .getByRole('button', { name: nested.outer.displayName, exact: true })
      .click();
    await page.getByRole('heading', { name: `Members of ${nested.outer.displayName}` }).waitFor();
    const toggle = page.locator('button.tree-toggle', { hasText: nested.inner.displayName ?? '' }).first();
    await toggle.click();
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    await page
      .locator('.tree li', { hasText: nested.user.userPrincipalName ?? '' })
      .first()
      .waitFor({ timeout: 10_000 });
    await screenshot(page, '07-directory');
  });

  test('audit, admin and API docs pages', async () => {
    await page.getByRole('link', { name: 'Audit' }).click();
    await page.getByRole('cell', { name: 'connection.create' }).first().waitFor();
    await screenshot(page, '08-audit');
    await page.getByRole('link', { name: 'Accounts & tokens' }).click();
    await page.getByRole('heading', { name: 'API tokens', exact: true }).waitFor();
    await screenshot(page, '09-admin');
    await page.goto(`${server.url}/api/docs`);
    await page.locator('.swagger-ui .info .title', { hasText: 'gatehouse' }).waitFor({ timeout: 20_000 });
    await page.locator('.opblock-summary-path', { hasText: '/api/v1/connections' }).first().waitFor();
    await screenshot(page, '10-api-docs');
  });

  test('a viewer sees the data but no buttons that change anything', async () => {
    await fx.gatehouse.accounts.createAccount({ username: 'vera', password: ADMIN_PASSWORD, role: 'viewer' });
    await page.goto(server.url);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('User name').fill('vera');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.locator(`tr[data-connection="${CONNECTION}"]`).waitFor();
    for (const name of ['Create', 'Edit', 'Test', 'Remove', 'Import…']) {
      assert.equal(await page.getByRole('button', { name, exact: true }).count(), 0, name);
    }
    assert.equal(await page.getByRole('link', { name: 'Audit' }).count(), 0);
    await page.getByRole('link', { name: 'Sync' }).click();
    await page.getByRole('heading', { name: 'History' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Run now' }).count(), 0);
    await screenshot(page, '11-viewer-sync');
  });
});
