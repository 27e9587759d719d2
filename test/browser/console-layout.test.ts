import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ARTIFACTS, browserSkipReason, screenshot } from './browser-harness.js';
import { BROKEN, type ConsoleFixture, GOOD, openPage, signedIn, startConsoleFixture } from './console-fixture.js';
import {
  type AxeViolation,
  axeViolations,
  horizontalOverflow,
  inViewport,
  seriousOf,
  VIEWPORTS,
} from './page-checks.js';

// Issue 16 item 2 (narrow screens), item 10 (focus styles) and the accessibility bar: every page of the console at
// 1440×900 and 390×844 — no sideways scrolling, the navigation reachable, dialogs that fit, no serious or critical
// axe-core violation — with a screenshot of each under test-artifacts/.
const skip = browserSkipReason();

const PAGES = [
  { path: '/connections', label: 'Connections', heading: 'Connections' },
  { path: '/sync', label: 'Sync', heading: 'Sync' },
  { path: '/directory', label: 'Directory', heading: 'Directory' },
  { path: '/identities', label: 'Identities', heading: 'Identities' },
  { path: '/audit', label: 'Audit', heading: 'Audit log' },
  { path: '/admin', label: 'Accounts & tokens', heading: 'Accounts and API tokens' },
] as const;

describe('the console on a laptop and a phone (issue 16 item 2)', { skip }, () => {
  let cf: ConsoleFixture;
  const axeReport: Record<string, AxeViolation[]> = {};
  before(async () => {
    cf = await startConsoleFixture();
  });
  after(async () => {
    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'axe-report.json'), `${JSON.stringify(axeReport, null, 2)}\n`);
    await cf?.close();
  });

  for (const viewport of VIEWPORTS) {
    test(`${viewport.name}: the login page fits and passes axe`, async () => {
      const context = await cf.browser.newContext({ viewport: { width: viewport.width, height: viewport.height } });
      const page = await context.newPage();
      await page.goto(cf.server.url);
      await page.getByRole('heading', { name: 'Sign in to gatehouse' }).waitFor();
      assert.equal(await horizontalOverflow(page), 0);
      const violations = await axeViolations(page);
      axeReport[`${viewport.name} /login`] = violations;
      assert.deepEqual(seriousOf(violations), [], JSON.stringify(seriousOf(violations), null, 2));
      await screenshot(page, `${viewport.name}-login`);
      await context.close();
    });

    test(`${viewport.name}: every page fits the screen, its navigation is reachable, and axe finds nothing serious`, async () => {
      const { context, page } = await signedIn(cf, viewport);
      for (const target of PAGES) {
        // The synced connection: its pages carry data (history, members), the widest content there is.
        await page.goto(`${cf.server.url}${target.path}?connection=${encodeURIComponent(GOOD)}`);
        await page.getByRole('heading', { name: target.heading, exact: true }).first().waitFor();
        await page.waitForLoadState('networkidle');
        assert.equal(await horizontalOverflow(page), 0, `${target.path} scrolls sideways at ${viewport.width} px`);
        const violations = await axeViolations(page);
        axeReport[`${viewport.name} ${target.path}`] = violations;
        assert.deepEqual(
          seriousOf(violations),
          [],
          `${target.path}: ${JSON.stringify(seriousOf(violations), null, 2)}`,
        );
        await screenshot(page, `${viewport.name}${target.path.replace('/', '-')}`);
      }
      // Every page is reachable from the navigation, on a phone through the Menu button (item 2: the links past
      // Directory were white on white).
      const nav = page.getByRole('navigation', { name: 'Main' });
      if (viewport.name === 'narrow') {
        assert.equal(await nav.isVisible(), false, 'the navigation is collapsed behind Menu');
        await page.getByRole('button', { name: 'Menu' }).click();
      }
      for (const target of PAGES) {
        const link = nav.getByRole('link', { name: target.label, exact: true });
        assert.ok(await link.isVisible(), `${target.label} is visible`);
        const contrast = await link.evaluate((a) => {
          const style = getComputedStyle(a);
          const header = getComputedStyle(a.closest('header') as Element);
          return { color: style.color, background: header.backgroundColor };
        });
        assert.notEqual(contrast.color, contrast.background);
      }
      await page.getByRole('link', { name: 'Connections', exact: true }).click();
      await page.locator(`tr[data-connection="${GOOD}"]`).waitFor();
      // The row's buttons are on screen (a card on a phone), not 500 px off to the right.
      for (const name of ['Test', 'Edit', 'Copy', 'Export', 'Remove']) {
        const button = page.locator(`tr[data-connection="${GOOD}"]`).getByRole('button', { name, exact: true });
        const box = await button.boundingBox();
        assert.ok(box && box.x + box.width <= viewport.width, `${name} is on screen`);
      }
      await context.close();
    });

    test(`${viewport.name}: the connection dialog fits, its value fields are usable, axe finds nothing serious`, async () => {
      const { context, page } = await signedIn(cf, viewport);
      await page.getByRole('button', { name: 'Create' }).click();
      const dialog = page.getByRole('dialog');
      const add = dialog.getByRole('button', { name: 'Add parameter' });
      for (let i = 0; i < 3; i++) await add.click();
      const box = await dialog.boundingBox();
      assert.ok(box && box.x >= 0 && box.x + box.width <= viewport.width, 'the dialog fits the screen width');
      const valueWidth = await dialog
        .locator('input.value')
        .first()
        .evaluate((input) => input.clientWidth);
      assert.ok(valueWidth >= 200, `a value field is ${valueWidth} px wide (it was 80 px at 390 px)`);
      assert.ok(await inViewport(page, 'dialog .dialog-buttons'), 'the buttons are in reach');
      const violations = await axeViolations(page);
      axeReport[`${viewport.name} connection dialog`] = violations;
      assert.deepEqual(seriousOf(violations), [], JSON.stringify(seriousOf(violations), null, 2));
      await screenshot(page, `${viewport.name}-connection-dialog`);
      await context.close();
    });

    test(`${viewport.name}: every control shows where the keyboard focus is, the file input included (item 10)`, async () => {
      const { context, page } = await signedIn(cf, viewport);
      await page.locator('input[type="file"]').focus();
      const outline = await page
        .locator('label.button')
        .evaluate((label) => getComputedStyle(label).outlineStyle + getComputedStyle(label).outlineWidth);
      assert.match(outline, /^solid[1-9]/, `the Import… button shows focus: ${outline}`);
      // Tab through the page: each focused control draws a visible outline.
      for (let i = 0; i < 12; i++) {
        await page.keyboard.press('Tab');
        const focused = await page.evaluate(() => {
          const element = document.activeElement as HTMLElement | null;
          if (!element || element === document.body) return undefined;
          const style = getComputedStyle(
            element.matches('input[type=file]') ? (element.parentElement as Element) : element,
          );
          return { tag: element.tagName, text: element.textContent?.trim().slice(0, 20), outline: style.outlineStyle };
        });
        if (focused) assert.equal(focused.outline, 'solid', `${focused.tag} "${focused.text}" has a focus ring`);
      }
      await context.close();
    });
  }

  test('the broken connection shows in words on a phone too (cards label each value)', async () => {
    const narrow = VIEWPORTS[1];
    const { context, page } = await signedIn(cf, narrow);
    await page.locator(`tr[data-connection="${BROKEN}"]`).getByRole('button', { name: 'Test' }).click();
    await page.getByTestId('test-result').filter({ hasText: 'failed' }).waitFor({ timeout: 30_000 });
    const health = page.locator(`tr[data-connection="${BROKEN}"] td[data-label="Health"]`);
    await health.getByText('test failed').waitFor();
    await screenshot(page, 'narrow-connections-broken');
    await openPage(page, narrow, 'Sync');
    await page.getByRole('heading', { name: 'Sync' }).waitFor();
    await context.close();
  });
});
