import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { browserSkipReason, screenshot } from './browser-harness.js';
import { BROKEN, type ConsoleFixture, GOOD, openPage, signedIn, startConsoleFixture } from './console-fixture.js';
import { VIEWPORTS } from './page-checks.js';

/** Issue 14: the Events page — recent events with a type filter; webhooks with deliveries, failures and Redeliver. */
describe('the Events page', { skip: browserSkipReason() }, () => {
  let cf: ConsoleFixture;
  before(async () => {
    cf = await startConsoleFixture();
    cf.fx.emulator.directory.createUser({ displayName: 'Events Person' });
    cf.fx.emulator.directory.createGroup({ displayName: 'Events Group' });
    await cf.fx.gatehouse.sync.run(GOOD);
    await cf.fx.gatehouse.webhooks.create({ name: 'crm-hook', url: 'http://127.0.0.1:9/hook', connection: GOOD });
    cf.fx.emulator.directory.createUser({ displayName: 'Hooked Person' });
    await cf.fx.gatehouse.sync.run(GOOD);
    // The server's dispatcher tries the closed port at once (then again after 5 s) and records each attempt after
    // it; wait for the first record, so an attempt still in flight cannot overwrite the 'failed' set below.
    const db = cf.fx.gatehouse.store.db;
    for (let i = 0; i < 300; i++) {
      const rows = await db.selectFrom('webhook_deliveries').select(['attempts']).execute();
      if (rows.length > 0 && rows.every((r) => Number(r.attempts) >= 1)) break;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    // The delivery to the closed port is given up (as after 24 h of retries) so the page shows a failure.
    await cf.fx.gatehouse.store.db
      .updateTable('webhook_deliveries')
      .set({ status: 'failed', error: 'unreachable: ECONNREFUSED', attempts: 9 })
      .execute();
  });
  after(() => cf?.close());

  for (const viewport of VIEWPORTS) {
    test(`${viewport.name}: an admin sees events, filters them, and redelivers a failed delivery`, async () => {
      await cf.fx.gatehouse.store.db.updateTable('webhook_deliveries').set({ status: 'failed' }).execute();
      const { context, page } = await signedIn(cf, viewport);
      try {
        await openPage(page, viewport, 'Events');
        await page.getByRole('heading', { name: 'Events', exact: true }).waitFor();
        await page.getByLabel('Connection').selectOption(GOOD);
        const events = page.getByRole('region', { name: 'Recent events' });
        await events.getByText('user.created').first().waitFor();
        await events.getByText('group.created').first().waitFor();
        await page.getByLabel('Type').selectOption('group.created');
        await events.getByText('Events Group').waitFor();
        await events.getByText('user.created').first().waitFor({ state: 'detached' });
        await page.getByRole('button', { name: 'crm-hook' }).click();
        const deliveries = page.getByRole('region', { name: 'Deliveries of crm-hook' });
        await deliveries.getByText('failed').waitFor();
        await deliveries.getByText('unreachable: ECONNREFUSED').waitFor();
        await screenshot(page, `events-${viewport.name}`);
        await deliveries.getByRole('button', { name: 'Redeliver' }).click();
        await deliveries.getByRole('button', { name: 'Redeliver' }).waitFor({ state: 'detached' });
        const [delivery] = await cf.fx.gatehouse.webhooks.deliveries('crm-hook');
        assert.notEqual(delivery?.status, 'failed', 'queued again');
        const scroll = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        assert.ok(scroll <= 0, `no sideways scroll (${scroll} px)`);
      } finally {
        await context.close();
      }
    });
  }

  // A CI run failed here: the page first loads the connection listed first (Broken HR), the test picks Contoso HR,
  // and Broken HR's empty answer landed last and emptied the table. Held back on purpose here, it must be ignored.
  test("a late answer for the connection shown first never replaces the chosen connection's events", async () => {
    const [viewport] = VIEWPORTS;
    if (!viewport) throw new Error('no viewport');
    const { context, page } = await signedIn(cf, viewport);
    let released!: () => void;
    const stale = new Promise<void>((resolve) => {
      released = resolve;
    });
    await page.route(
      (url) => url.pathname.endsWith('/api/v1/events') && url.searchParams.get('connection') === BROKEN,
      async (route) => {
        await stale;
        await route.continue();
      },
    );
    try {
      await openPage(page, viewport, 'Events');
      await page.getByLabel('Connection').selectOption(GOOD);
      const events = page.getByRole('region', { name: 'Recent events' });
      await events.getByText('group.created').first().waitFor();
      const answered = page.waitForResponse(
        (r) => r.url().includes('/api/v1/events') && new URL(r.url()).searchParams.get('connection') === BROKEN,
      );
      released();
      await answered;
      await page.evaluate(() => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 100))));
      assert.ok(await events.getByText('group.created').first().isVisible(), "Contoso HR's events are still shown");
    } finally {
      await context.close();
    }
  });

  test('a viewer sees the events but not the webhooks', async () => {
    const { context, page } = await signedIn(cf, VIEWPORTS[0], 'vera');
    try {
      await page.goto(`${cf.server.url}/events?connection=${encodeURIComponent(GOOD)}`);
      await page.getByRole('region', { name: 'Recent events' }).getByText('user.created').first().waitFor();
      assert.equal(await page.getByRole('heading', { name: 'Webhooks' }).count(), 0);
    } finally {
      await context.close();
    }
  });
});
