import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AppError } from '../../src/core/errors.js';
import { createGraphClient } from '../../src/entra/graph-client.js';
import { createGraphDirectorySource } from '../../src/entra/graph-directory-source.js';
import { createDirectoryRepository } from '../../src/store/directory-repository.js';
import { createSyncRepository } from '../../src/store/sync-repository.js';
import type { SyncStore } from '../../src/sync/ports.js';
import { SyncService } from '../../src/sync/sync-service.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { assertMirrors } from './sync-assertions.js';

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Issue 13, group commit: a store slower than Graph finds the pages fetched meanwhile ready when it has written one,
 * and writes them in the same transaction (one commit, the last page's checkpoint). Here the store is made slow by
 * a pause inside each transaction, so pages pile up (the emulator runs in this process, realistic profile), and one
 * transaction fails the way a restarting database does, after it has taken several pages: the engine must write
 * exactly those pages again, then go on, and count every page and object once.
 */
describe('a sync whose store is slower than Graph (group commit)', () => {
  let fx: GatehouseFixture;
  before(async () => {
    fx = await startGatehouseFixture({ emulator: { users: 2500, groups: 60, seed: 'group-commit' } });
  });
  after(() => fx.close());

  it('writes the pages already fetched in one transaction, survives a lost one, and mirrors the tenant', async () => {
    const db = fx.gatehouse.store.db;
    const base = createSyncRepository(db);
    const transactions: number[] = [];
    let failed = false;
    const store: SyncStore = {
      ...base,
      applyPages: (cid, stream, roundId, next) => {
        let taken = 0;
        return base.applyPages(cid, stream, roundId, async () => {
          const page = await next();
          if (page === undefined) {
            transactions.push(taken);
            return undefined;
          }
          taken++;
          if (taken === 1) await pause(40); // a slow store: Graph answers meanwhile
          if (taken === 3 && !failed) {
            failed = true;
            throw new AppError('STORE_UNAVAILABLE', { message: 'injected: the database restarted' });
          }
          return page;
        });
      },
    };
    const sync = new SyncService({
      store,
      directory: createDirectoryRepository(db),
      connection: async (name) => {
        const found = await fx.gatehouse.connections.get(name);
        return { id: found.id, name: found.name };
      },
      createSource: async (connectionId) => {
        const settings = await fx.gatehouse.connections.resolveEntraSettings(connectionId);
        return createGraphDirectorySource(
          createGraphClient({ settings, tokenSource: fx.gatehouse.tokens.forSettings(settings) }),
        );
      },
      resolveGroupId: async () => {
        throw new Error('not used');
      },
      leaseOwner: 'group-commit-test',
    });

    const progress: Record<string, number[]> = { users: [], groups: [] };
    const report = await sync.run(fx.connectionName, {
      onProgress: (p) => {
        if (p.phase === 'fetching' && p.stream !== 'all') progress[p.stream]?.push(p.pages);
      },
    });
    assert.equal(report.status, 'succeeded', JSON.stringify(report.errors));
    assert.ok(failed, 'the injected failure happened inside a transaction of several pages');
    const pages = transactions.reduce((a, b) => a + b, 0);
    assert.equal(report.pages, pages, 'every committed page counted once (the lost transaction is not counted)');
    assert.ok(
      transactions.some((n) => n > 1),
      `some transaction wrote more than one page: ${JSON.stringify(transactions)}`,
    );
    assert.ok(transactions.length < pages, 'fewer commits than pages');
    // Progress still comes page by page (watchers wait for a given page: a CI run once hung on 'page users 4').
    for (const [stream, seen] of Object.entries(progress)) {
      assert.deepEqual(
        seen,
        seen.map((_, i) => i + 1),
        `${stream} progress counts every page`,
      );
    }
    assert.equal((progress.users?.length ?? 0) + (progress.groups?.length ?? 0), pages);
    const truth = fx.emulator.directory.snapshot();
    const enabled = truth.users.filter((u) => u.accountEnabled !== false).length;
    assert.equal(report.users.added, enabled, 'users counted once although the lost pages were written twice');
    assert.equal(report.groups.added, truth.groups.length);
    const connectionId = (await fx.gatehouse.connections.get(fx.connectionName)).id;
    await assertMirrors(fx.gatehouse, connectionId, fx.emulator);
  });
});
