import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkipReason, screenshot } from './browser-harness.js';
import {
  BROKEN,
  type ConsoleFixture,
  GOOD,
  openPage,
  PASSWORD,
  signedIn,
  startConsoleFixture,
} from './console-fixture.js';
import { inViewport, VIEWPORTS } from './page-checks.js';

// Issue 16's numbered findings, each as the administrator meets it in the console, at both sizes. (Item 4, counts
// of unchanged objects, is fixed in the store by issue 13; item 12 is the demo's terminal: test/cli/demo.test.ts.)
const skip = browserSkipReason();
const GUID = /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i;
const RAW_ISO = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;

async function fillDraft(page: Page, cf: ConsoleFixture, name: string, secret: string) {
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('Name').fill(name);
  const add = dialog.getByRole('button', { name: 'Add parameter' });
  const params = cf.fx.parametersFor(cf.fx.emulator.defaultApp, { ClientSecret: secret });
  for (const [key, value] of Object.entries(params)) {
    await add.click();
    await dialog.locator('.parameter-row').last().locator('input.key').fill(key);
    await dialog.locator(`.parameter-row[data-key="${key}"] input.value`).fill(value);
  }
}

describe('issue 16, item by item, in the console', { skip }, () => {
  let cf: ConsoleFixture;
  before(async () => {
    cf = await startConsoleFixture();
  });
  after(() => cf?.close());

  for (const viewport of VIEWPORTS) {
    const v = viewport.name;

    test(`${v}: items 1 and 3 — a sync with a refused secret fails at once and looks failed, with the hint and a Test shortcut`, async () => {
      const { context, page } = await signedIn(cf, viewport);
      await page.goto(`${cf.server.url}/sync?connection=${encodeURIComponent(BROKEN)}`);
      await page.getByRole('heading', { name: 'History' }).waitFor();
      cf.fx.emulator.clearRequestLog();
      await page.getByRole('button', { name: 'Run now' }).click();
      const failure = page.getByTestId('run-failure');
      await failure.waitFor({ timeout: 30_000 });
      const tokenRequests = cf.fx.emulator
        .requestLog()
        .filter((e) => e.kind === 'token' && e.clientId === cf.brokenClientId).length;
      assert.equal(tokenRequests, 1, 'one token request, no retries');
      await page.locator('label[for="sync-progress"]', { hasText: 'Failed' }).waitFor();
      assert.notEqual(await page.locator('#sync-progress').getAttribute('value'), '100', 'the bar is not full');
      assert.match(await page.locator('#sync-progress').getAttribute('class').then(String), /failed/);
      await failure.getByText('Entra ID rejected the client secret').waitFor();
      await failure.getByText('Secret ID may have been pasted instead of the secret Value').waitFor();
      await page.getByTestId('sync-status').filter({ hasText: 'Failed' }).waitFor();
      // The history says it too, with the message across the row.
      const history = page.getByRole('table', { name: 'Sync history' });
      await history.locator('tr[data-run-status="failed"] .status-chip', { hasText: 'Failed' }).first().waitFor();
      await history.locator('tr.error-row', { hasText: 'rejected the client secret' }).first().waitFor();
      await failure.getByRole('button', { name: 'Test connection' }).click();
      await failure.getByTestId('test-result').filter({ hasText: 'failed' }).waitFor({ timeout: 30_000 });
      await failure.locator('[data-check="token"][data-status="fail"]').waitFor();
      await screenshot(page, `${v}-item03-failed-sync`);
      await context.close();
    });

    test(`${v}: item 5 — a member the sync leaves out is said in words, never a bare GUID`, async () => {
      const { context, page } = await signedIn(cf, viewport);
      await page.goto(`${cf.server.url}/directory?connection=${encodeURIComponent(GOOD)}`);
      await page.getByRole('heading', { name: 'Membership checker' }).waitFor();
      await page.getByRole('list', { name: 'Groups' }).getByRole('button', { name: 'Legal Team', exact: true }).click();
      const members = page.locator('ul.members').first();
      await members.getByText('Lena Legal').waitFor();
      const text = await members.innerText();
      assert.doesNotMatch(text, GUID, `no bare object id in the member list:\n${text}`);
      assert.equal(await members.getByText('Dora Disabled').count(), 0, 'the disabled user is not in the local copy');
      await members
        .getByText(/excluded|not in the local copy/)
        .first()
        .waitFor();
      await context.close();
    });

    test(`${v}: item 6 — words first: health, error boxes and 403s`, async () => {
      const { context, page } = await signedIn(cf, viewport);
      await page.locator(`tr[data-connection="${BROKEN}"]`).getByRole('button', { name: 'Test' }).click();
      await page.getByTestId('test-result').filter({ hasText: 'failed' }).waitFor({ timeout: 30_000 });
      const health = page.locator(`tr[data-connection="${BROKEN}"] td[data-label="Health"]`);
      await health.getByText('Entra ID rejected the client secret').waitFor();
      const healthText = await health.innerText();
      assert.match(healthText, /^● test failed/, 'the cell leads with words');
      assert.equal(await health.locator('.code-detail', { hasText: 'ENTRA_INVALID_CLIENT_SECRET' }).count(), 1);
      // An error box: the message first, the hint in the console's words, the code last.
      await page.locator(`tr[data-connection="${GOOD}"]`).getByRole('button', { name: 'Copy' }).click();
      const ask = page.getByRole('dialog', { name: `Copy ${GOOD}` });
      await ask.getByLabel('Name of the copy').fill(BROKEN);
      await ask.getByRole('button', { name: 'Copy' }).click();
      const error = page.getByRole('alert').filter({ hasText: 'CONNECTION_NAME_TAKEN' });
      await error.waitFor();
      assert.match(await error.locator('.message').innerText(), /already exists/);
      assert.match(await error.locator('.code').innerText(), /Code: CONNECTION_NAME_TAKEN/);
      const boxText = await error.innerText();
      assert.ok(boxText.indexOf('already exists') < boxText.indexOf('CONNECTION_NAME_TAKEN'), 'message before code');
      await context.close();
    });

    test(`${v}: item 7 — Test a draft without saving; footer in reach; report in view; Esc asks; the GUID override resets`, async () => {
      const { context, page } = await signedIn(cf, viewport);
      await page.getByRole('button', { name: 'Create' }).click();
      const dialog = page.getByRole('dialog');
      const name = `Draft ${v}`;
      await fillDraft(page, cf, name, cf.fx.emulator.defaultApp.secretValue!);
      await dialog.getByRole('button', { name: 'Test' }).click();
      await dialog.getByTestId('test-result').filter({ hasText: 'all checks passed' }).waitFor({ timeout: 30_000 });
      await page.waitForTimeout(600); // the smooth scroll
      assert.ok(await inViewport(page, 'dialog .dialog-buttons'), 'the buttons did not scroll away');
      const report = await dialog.getByTestId('test-report').boundingBox();
      assert.ok(report && report.y < viewport.height && report.y + report.height > 0, 'the report is in view');
      await dialog.getByRole('heading', { name: 'New connection' }).waitFor();
      assert.equal(
        (await cf.fx.gatehouse.connections.list()).some((c) => c.name === name),
        false,
        'Test saved nothing',
      );
      // Esc with edits asks first; "Keep editing" keeps them.
      await page.keyboard.press('Escape');
      const ask = dialog.getByRole('alertdialog', { name: 'Discard changes?' });
      await ask.waitFor();
      await ask.getByRole('button', { name: 'Keep editing' }).click();
      assert.equal(await dialog.getByLabel('Name').inputValue(), name);
      // The GUID override: refused, confirmed, then a new value takes the confirmation away.
      const secret = dialog.locator('.parameter-row[data-key="ClientSecret"] input.value');
      await secret.fill('3f2b8c1e-5d4a-4b7e-9c1f-2a6d8e0b4c7a');
      await dialog.getByRole('button', { name: 'Create' }).click();
      const override = dialog.getByLabel('My secret Value really is a GUID');
      await override.check();
      await secret.fill('another-value-0123456789');
      assert.equal(await override.isVisible().then((shown) => (shown ? override.isChecked() : false)), false);
      await page.keyboard.press('Escape');
      await ask.getByRole('button', { name: 'Discard' }).click();
      await dialog.waitFor({ state: 'detached' });
      await screenshot(page, `${v}-item07-after-discard`);
      await context.close();
    });

    test(`${v}: item 8 — the report names its five checks and shows local time`, async () => {
      const { context, page } = await signedIn(cf, viewport);
      await page.locator(`tr[data-connection="${GOOD}"]`).getByRole('button', { name: 'Test' }).click();
      const report = page.getByTestId('test-report');
      await report.getByTestId('test-result').filter({ hasText: 'all checks passed' }).waitFor({ timeout: 30_000 });
      const names = await report.locator('.check-name').allInnerTexts();
      assert.deepEqual(names, [
        'Parameters',
        'Token from Entra ID',
        'Application permissions',
        'Microsoft Graph',
        'Secret or certificate expiry',
      ]);
      assert.doesNotMatch(await report.innerText(), RAW_ISO, 'no raw UTC timestamps');
      await page.locator(`tr[data-connection="${BROKEN}"]`).getByRole('button', { name: 'Test' }).click();
      await page.getByTestId('test-result').filter({ hasText: 'failed' }).waitFor({ timeout: 30_000 });
      const skipped = await page.locator('.check.skip').allInnerTexts();
      assert.ok(
        skipped.some((t) => t.includes('Application permissions')) &&
          skipped.some((t) => t.includes('Microsoft Graph')),
      );
      await screenshot(page, `${v}-item08-report`);
      await context.close();
    });

    test(`${v}: item 9 — the membership checker finds "Adele Chen" by name and tells two of them apart`, async () => {
      const { context, page } = await signedIn(cf, viewport);
      await page.goto(`${cf.server.url}/directory?connection=${encodeURIComponent(GOOD)}`);
      const checker = page.locator('section', { has: page.getByRole('heading', { name: 'Membership checker' }) });
      await checker.getByRole('combobox', { name: 'User' }).fill('Adele Chen');
      await checker.getByRole('combobox', { name: 'Group' }).fill('Legal Team');
      await page.waitForTimeout(400);
      await checker.getByRole('button', { name: 'Check' }).click();
      // Two users have that name: the checker offers both, with their UPNs, instead of failing.
      await checker.getByText('2 users match: pick one.').waitFor();
      await checker.getByRole('option', { name: /adele\.chen\.legal@/ }).click();
      await checker.getByRole('button', { name: 'Check' }).click();
      const answer = page.getByTestId('membership-answer');
      await answer.getByText('Member', { exact: true }).waitFor();
      const path = await answer.getByRole('list', { name: 'Membership path' }).getByRole('listitem').allInnerTexts();
      assert.deepEqual(path, ['Adele Chen', 'Legal Team']);
      await screenshot(page, `${v}-item09-checker`);
      await context.close();
    });

    test(`${v}: item 10 — empty states, "not allowed" for viewers, the schedule's examples, account password reset`, async () => {
      const { context, page } = await signedIn(cf, viewport);
      await page.goto(`${cf.server.url}/sync?connection=${encodeURIComponent(GOOD)}`);
      await page.getByText('Examples:').waitFor();
      assert.ok(await page.locator('#schedule-help').getByText('daily 02:30 Europe/Berlin').isVisible());
      const placeholder = await page.getByLabel('Schedule', { exact: true }).evaluate((input) => {
        const field = input as HTMLInputElement;
        const probe = document.createElement('span');
        probe.style.font = getComputedStyle(field).font;
        probe.textContent = field.placeholder;
        document.body.append(probe);
        const fits = probe.offsetWidth <= field.clientWidth;
        probe.remove();
        return fits;
      });
      assert.ok(placeholder, 'the schedule placeholder is not cut');
      await openPage(page, viewport, 'Directory');
      await page.getByText('The local copy is empty: run a sync').waitFor();
      await page.goto(`${cf.server.url}/directory?connection=${encodeURIComponent(GOOD)}`);
      await page.getByRole('heading', { name: 'Membership checker' }).waitFor();
      await page.locator('#directory-search').fill('zzz-nobody');
      await page.locator('#directory-search').press('Enter');
      await page.getByText('No groups match “zzz-nobody”.').waitFor();
      await page.goto(`${cf.server.url}/audit`);
      await page.getByLabel('Actor').fill('nobody-at-all');
      await page.getByRole('button', { name: 'Filter' }).click();
      await page.getByText('No audit events match this filter.').waitFor();
      // An admin resets an account's password in the console (the login page's hint promised it).
      await page.goto(`${cf.server.url}/admin`);
      const row = page.getByRole('row', { name: /^vera/ });
      await row.getByRole('button', { name: 'Reset password' }).click();
      const reset = page.getByRole('dialog', { name: 'Reset the password of vera' });
      const fresh = `${PASSWORD} ${v} renewed`;
      await reset.getByLabel('New password (12+ characters)').fill(fresh);
      await reset.getByRole('button', { name: 'Reset password' }).click();
      await page.getByText('The password of vera was changed').waitFor();
      await context.close();
      // The viewer signs in with it and gets "Not allowed" on /audit, not another page.
      const viewer = await cf.browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
      const vpage = await viewer.newPage();
      await vpage.goto(`${cf.server.url}/audit`);
      await vpage.getByLabel('User name').fill('vera');
      await vpage.getByLabel('Password').fill(fresh);
      await vpage.getByRole('button', { name: 'Sign in' }).click();
      await vpage.getByRole('heading', { name: 'Not allowed' }).waitFor();
      await vpage.getByText('The Audit page is for admins; you are signed in as viewer.').waitFor();
      assert.equal(await vpage.getByRole('heading', { name: 'Connections' }).count(), 0);
      await vpage.goto(`${cf.server.url}/identities`);
      await vpage.getByText('The Identities page is for operators and admins').waitFor();
      await screenshot(vpage, `${v}-item10-not-allowed`);
      await viewer.close();
    });

    test(`${v}: item 13 — the API docs are linked from the console and branded`, async () => {
      const { context, page } = await signedIn(cf, viewport);
      if (viewport.name === 'narrow') await page.getByRole('button', { name: 'Menu' }).click();
      await page.getByRole('link', { name: 'API docs' }).click();
      await page.waitForURL(/\/api\/docs/);
      assert.equal(await page.title(), 'gatehouse API');
      await page.getByRole('link', { name: 'gatehouse: back to the console' }).waitFor({ timeout: 20_000 });
      await page.locator('.opblock-summary-path', { hasText: '/api/v1/connections/test' }).first().waitFor();
      await screenshot(page, `${v}-item13-api-docs`);
      await context.close();
    });
  }
});
