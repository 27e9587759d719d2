import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { browserSkipReason, screenshot } from './browser-harness.js';
import { type ConsoleFixture, GOOD, openPage, signedIn, startConsoleFixture } from './console-fixture.js';
import { axeViolations, horizontalOverflow, seriousOf, VIEWPORTS } from './page-checks.js';

// Issue 16 item 11: users and group membership managed from the console, through the same action registry and audit
// log as the CLI, shown only to the roles that may run them. An operator does it all here, at both sizes.
const skip = browserSkipReason();

async function pick(page: Page, scope: ReturnType<Page['locator']>, label: string, text: string, option: RegExp) {
  await scope.getByRole('combobox', { name: label }).fill(text);
  await scope.getByRole('option', { name: option }).click();
}

describe('the Identities page (issue 16 item 11)', { skip }, () => {
  let cf: ConsoleFixture;
  before(async () => {
    cf = await startConsoleFixture();
  });
  after(() => cf?.close());

  test('viewers see no Identities page; operators do', async () => {
    const viewer = await signedIn(cf, VIEWPORTS[0], 'vera');
    const nav = viewer.page.getByRole('navigation', { name: 'Main' });
    assert.equal(await nav.getByRole('link', { name: 'Identities' }).count(), 0);
    await viewer.context.close();
    const operator = await signedIn(cf, VIEWPORTS[0], 'otto');
    await operator.page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Identities' }).waitFor();
    assert.equal(await operator.page.getByRole('link', { name: 'Audit' }).count(), 0);
    await operator.context.close();
  });

  for (const viewport of VIEWPORTS) {
    const v = viewport.name;
    test(`${v}: find, disable, enable, reset the password, create, delete; change a group's members several at once`, async () => {
      const { context, page } = await signedIn(cf, viewport, 'otto');
      await context.grantPermissions(['clipboard-read', 'clipboard-write']);
      await openPage(page, viewport, 'Identities');
      await page.goto(`${cf.server.url}/identities?connection=${encodeURIComponent(GOOD)}`);
      await page.getByRole('heading', { name: 'Identities' }).waitFor();
      const users = page.locator('section', { has: page.getByRole('heading', { name: 'Users', exact: true }) });

      // Find a user by name; disable and enable sign-in.
      await pick(page, users, 'Find a user', 'Lena', /Lena Legal/);
      const panel = page.getByTestId('user-panel');
      await panel.getByRole('heading', { name: 'Lena Legal' }).waitFor();
      await panel.getByRole('button', { name: 'Disable sign-in' }).click();
      await panel.getByTestId('user-enabled').filter({ hasText: 'disabled' }).waitFor();
      await panel.getByRole('button', { name: 'Enable sign-in' }).click();
      await panel.getByTestId('user-enabled').filter({ hasText: 'enabled' }).waitFor();

      // Reset the password: shown once, with a Copy button that really copies it.
      await panel.getByRole('button', { name: 'Reset password' }).click();
      const shown = panel.getByTestId('secret-value');
      await shown.waitFor();
      const password = await shown.innerText();
      assert.ok(password.length >= 16, 'a generated password');
      await panel.getByRole('button', { name: 'Copy' }).click();
      await panel.getByText('Copied.').waitFor();
      assert.equal(await page.evaluate(() => navigator.clipboard.readText()), password);
      await screenshot(page, `${v}-item11-reset-password`);

      // Create a user: the generated password is shown once.
      const create = page.locator('section', { has: page.getByRole('heading', { name: 'Create a user' }) });
      const upn = `new.hire.${v}@${cf.fx.emulator.tenant.domain}`;
      await create.getByLabel('Display name').fill(`New Hire ${v}`);
      await create.getByLabel('User principal name').fill(upn);
      await create.getByRole('button', { name: 'Create user' }).click();
      await create.getByText(`Created ${upn}.`).waitFor();
      const created = await create.getByTestId('secret-value').innerText();
      assert.ok(created.length >= 16);
      await panel.getByRole('heading', { name: `New Hire ${v}` }).waitFor();

      // Delete it, after typing its name.
      await panel.getByRole('button', { name: 'Delete…' }).click();
      const confirm = page.getByRole('dialog', { name: `Delete ${upn}?` });
      const remove = confirm.getByRole('button', { name: 'Delete user' });
      assert.equal(await remove.isDisabled(), true, 'nothing happens before the name is typed');
      await confirm.getByLabel(/Type .* to confirm/).fill(upn);
      await remove.click();
      await panel.waitFor({ state: 'detached' });
      assert.equal(cf.fx.emulator.directory.get(upn), undefined, 'deleted in the tenant');

      // A group's members: remove two at once, add them back at once.
      const group = page.locator('section', { has: page.getByRole('heading', { name: 'Group members' }) });
      await pick(page, group, 'Group', 'Legal', /^Legal Team/);
      const members = group.getByRole('list', { name: 'Members of Legal Team' });
      await members.getByText('Liam Legal').waitFor();
      await members.getByRole('checkbox', { name: /Liam Legal/ }).check();
      await members.getByRole('checkbox', { name: /Lara Legal/ }).check();
      await group.getByRole('button', { name: 'Remove 2 selected' }).click();
      await group.getByText('Removed 2.').waitFor();
      await members.getByText('Liam Legal').waitFor({ state: 'detached' });
      await pick(page, group, 'Add users', 'Liam', /Liam Legal/);
      await pick(page, group, 'Add users', 'Lara', /Lara Legal/);
      await group.getByRole('button', { name: 'Add 2 to Legal Team' }).click();
      await group.getByText('Added 2.').waitFor();
      await members.getByText('Lara Legal').waitFor();
      assert.equal(await horizontalOverflow(page), 0);
      assert.deepEqual(seriousOf(await axeViolations(page)), []);
      await screenshot(page, `${v}-item11-identities`);

      // Every step went through the action registry and its audit log, as the operator, from the console.
      const audit = await cf.fx.gatehouse.audit.list({ actor: 'otto', limit: 200 });
      for (const action of [
        'user.disable',
        'user.enable',
        'user.resetPassword',
        'user.create',
        'user.delete',
        'group.removeMember',
        'group.addMember',
      ]) {
        const event = audit.find((e) => e.action === action);
        assert.equal(event?.origin.channel, 'ui', `${action} audited from the console`);
        assert.equal(event?.result, 'succeeded', action);
      }
      const logged = JSON.stringify(audit);
      assert.equal(logged.includes(password) || logged.includes(created), false, 'no password in the audit log');
      await context.close();
    });
  }
});
