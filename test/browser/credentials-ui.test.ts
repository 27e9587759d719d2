import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { RegisteredApp } from '../../src/emulator/index.js';
import { type RunningServer, startServer } from '../../src/server/start-server.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { browserSkipReason, ensureWebBuild, launchBrowser, screenshot } from './browser-harness.js';

const skip = browserSkipReason();
const PASSWORD = 'browser test password';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  assert.ok(address && typeof address === 'object');
  return address.port;
}

/** The credential-kind picker of the dialog and the permission plan of the test report, in headless Chromium. */
describe('credential kinds and the permission plan in the UI', { skip }, () => {
  let fx: GatehouseFixture;
  let server: RunningServer;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let app: RegisteredApp;

  before(async () => {
    const webRoot = ensureWebBuild();
    fx = await startGatehouseFixture({
      createConnection: false,
      emulator: { seed: 'credentials-ui', profile: 'exact' },
    });
    await fx.gatehouse.accounts.createAccount({ username: 'admin', password: PASSWORD, role: 'admin' });
    const port = await freePort();
    const publicUrl = `http://127.0.0.1:${port}`;
    server = await startServer(fx.gatehouse, { port, webRoot, publicUrl });
    app = fx.emulator.registerApp({
      applicationPermissions: ['User.Read.All', 'GroupMember.Read.All'],
      adminConsented: false,
    });
    fx.emulator.consent.registerRedirectUri(app.clientId, `${publicUrl}/consent/callback`);
    browser = await launchBrowser();
    context = await browser.newContext({ viewport: { width: 1366, height: 900 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    page = await context.newPage();
    await page.goto(server.url);
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Connections' }).waitFor();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    await fx?.close();
  });

  test('the dialog offers four credential kinds with where-to-find-it help, one credential row at a time', async () => {
    await page.getByRole('button', { name: 'Create' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Name').fill('Needs consent');
    const rowKeys = async () =>
      dialog.locator('.parameter-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-key')));
    for (const label of ['Client secret', 'Certificate', 'Federated token file', 'Managed identity']) {
      await dialog.getByRole('radio', { name: label }).check();
      const help = await dialog.locator('.credential-help').innerText();
      assert.ok(help.length > 60, `${label} has help`);
      const credentialRows = (await rowKeys()).filter((k) =>
        ['ClientSecret', 'ClientCertificate', 'ClientAssertionFile', 'ManagedIdentity'].includes(k ?? ''),
      );
      assert.equal(credentialRows.length, 1, `only one credential row for ${label}: ${credentialRows.join(', ')}`);
    }
    assert.match(await dialog.locator('.credential-help').innerText(), /system-assigned/);
    assert.equal(await dialog.locator('.parameter-row[data-key="ManagedIdentity"] input.value').inputValue(), 'system');
    await screenshot(page, 'credentials-01-managed-identity');
    await dialog.getByRole('radio', { name: 'Federated token file' }).check();
    assert.match(await dialog.locator('.credential-help').innerText(), /AZURE_FEDERATED_TOKEN_FILE/);
    await dialog.getByRole('radio', { name: 'Client secret' }).check();
    assert.match(await dialog.locator('.credential-help').innerText(), /not the Secret ID/);
  });

  test('a failing permissions check shows the plan: ids, copy buttons, and a consent link that completes the round trip', async () => {
    const dialog = page.getByRole('dialog');
    const add = dialog.getByRole('button', { name: 'Add parameter' });
    const set = async (key: string, value: string) => {
      let row = dialog.locator(`.parameter-row[data-key="${key}"]`);
      if ((await row.count()) === 0) {
        await add.click();
        await dialog.locator('.parameter-row').last().locator('input.key').fill(key);
        row = dialog.locator(`.parameter-row[data-key="${key}"]`);
      }
      await row.locator('input.value').fill(value);
    };
    await set('TenantID', fx.emulator.tenant.id);
    await set('ClientID', app.clientId);
    await set('ClientSecret', app.secretValue ?? '');
    await set('AuthorityHost', fx.emulator.url);
    await set('GraphEndpoint', fx.emulator.url);
    await dialog.getByRole('button', { name: 'Test' }).click();
    const plan = dialog.getByRole('region', { name: 'Permission plan' });
    await plan.waitFor({ timeout: 30_000 });
    // Ids as in facts G.1.
    assert.match(
      await plan.locator('tr[data-permission="User.ReadWrite.All"]').innerText(),
      /741f803b-c850-494e-b5df-cde7c675a1ca/,
    );
    assert.match(
      await plan.locator('tr[data-permission="GroupMember.ReadWrite.All"]').innerText(),
      /dbaae8cf-10b5-4b86-a4a1-f871c94c6695/,
    );
    await plan.getByRole('button', { name: 'Copy Azure CLI' }).click();
    await plan.getByRole('button', { name: 'Copy Azure CLI' }).filter({ hasText: 'Copied' }).waitFor();
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    assert.match(copied, new RegExp(`^az ad app permission add --id ${app.clientId} `));
    await screenshot(page, 'credentials-02-plan');

    const link = plan.getByRole('link', { name: 'Open the admin consent page' });
    assert.match(String(await link.getAttribute('href')), /\/v2\.0\/adminconsent\?/);
    const [popup] = await Promise.all([context.waitForEvent('page'), link.click()]);
    await popup.getByRole('heading', { name: 'Admin consent granted' }).waitFor({ timeout: 30_000 });
    assert.match(await popup.locator('body').innerText(), /connection test passed/);
    await screenshot(popup, 'credentials-03-consent-granted');
    await popup.close();
    // The draft was tested unsaved; the round trip re-tests a stored connection, so the link saved it first.
    assert.equal((await fx.gatehouse.connections.get('Needs consent')).name, 'Needs consent');
    await dialog.getByRole('button', { name: 'Test' }).click();
    await dialog.getByTestId('test-result').filter({ hasText: 'all checks passed' }).waitFor({ timeout: 30_000 });
  });
});
