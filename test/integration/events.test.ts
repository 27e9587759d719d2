import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { DirectoryEvent } from '../../src/events/event-model.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

/** Events of §9.2 from real syncs against the emulator (issue 14, item 1). */
describe('directory events from syncs', () => {
  let fx: GatehouseFixture;
  let cursor = '0';
  before(async () => {
    fx = await startGatehouseFixture({ emulator: { users: 40, groups: 6, seed: 'events-test' } });
  });
  after(() => fx.close());

  async function syncEvents(): Promise<{ events: DirectoryEvent[]; reported: number }> {
    // The realistic emulator lags creates and membership changes by up to 3 s; the tests change the tenant and
    // then sync expecting the change, i.e. it has replicated by the time the sync runs: settle().
    await fx.emulator.settle();
    const report = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(report.status, 'succeeded', JSON.stringify(report.errors));
    const events = await fx.gatehouse.events.list(fx.connectionName, { after: cursor, limit: 1000 });
    if (events.length > 0) cursor = events.at(-1)?.id ?? cursor;
    return { events, reported: report.events ?? -1 };
  }
  const summary = (events: DirectoryEvent[]) => events.map((e) => `${e.type}:${String(e.data.memberId ?? '')}`);

  it('the first full round is a baseline: no events', async () => {
    const { events, reported } = await syncEvents();
    assert.deepEqual(events, []);
    assert.equal(reported, 0);
  });

  it('a dry run stores no events, and the real run then stores them', async () => {
    fx.emulator.directory.createUser({ displayName: 'Dry Run Person' });
    await fx.emulator.settle();
    const dry = await fx.gatehouse.sync.run(fx.connectionName, { dryRun: true });
    assert.equal(dry.users.added, 1);
    assert.equal(dry.events, 0);
    assert.deepEqual(await fx.gatehouse.events.list(fx.connectionName, { after: cursor }), []);
    const { events, reported } = await syncEvents();
    assert.deepEqual(
      events.map((e) => e.type),
      ['user.created'],
    );
    assert.equal(reported, 1);
    const [event] = events;
    assert.equal(event?.connection, fx.connectionName);
    assert.equal(event?.source, 'sync');
    assert.ok(event?.runId);
    assert.equal((event?.data.user as { displayName?: string } | undefined)?.displayName, 'Dry Run Person');
  });

  it('every user, group and membership event type, in order, with the changed properties', async () => {
    const dir = fx.emulator.directory;
    const active = dir.snapshot().users.filter((u) => u.accountEnabled !== false);
    const [u1, u2, u3, u4] = active.map((u) => String(u.id));
    const [g1, g2] = dir.snapshot().groups.map((g) => String(g.id));
    dir.update(String(u1), { department: 'Finance', jobTitle: 'Controller' });
    dir.disableUser(String(u2));
    dir.delete(String(u3));
    const group = dir.createGroup({ displayName: 'Onboarding' });
    dir.update(String(g1), { description: 'Renamed for events' });
    if (dir.memberIds(String(g2)).includes(String(u4))) dir.removeMember(String(g2), String(u4));
    const first = await syncEvents();
    const types = new Set(first.events.map((e) => e.type));
    for (const t of ['user.updated', 'user.disabled', 'user.deleted', 'group.created', 'group.updated']) {
      assert.ok(types.has(t as DirectoryEvent['type']), `${t} in ${[...types].join(', ')}`);
    }
    assert.equal(first.reported, first.events.length);
    const updated = first.events.find((e) => e.type === 'user.updated');
    assert.deepEqual([...((updated?.data.changed as string[] | undefined) ?? [])].sort(), ['department', 'jobTitle']);
    const disabled = first.events.find((e) => e.type === 'user.disabled');
    assert.equal(disabled?.data.excluded, true);
    const ids = first.events.map((e) => Number(e.id));
    assert.deepEqual(
      ids,
      ids.map((_, i) => (ids[0] as number) + i),
      'gapless, ordered cursor',
    );

    dir.enableUser(String(u2));
    dir.restore(String(u3));
    dir.addMember(String(group.id), String(u4));
    dir.addMember(String(g2), String(u4));
    dir.delete(String(group.id));
    const second = await syncEvents();
    const secondTypes = new Set(second.events.map((e) => e.type));
    for (const t of ['user.enabled', 'user.restored', 'membership.added', 'group.deleted']) {
      assert.ok(secondTypes.has(t as DirectoryEvent['type']), `${t} in ${[...secondTypes].join(', ')}`);
    }

    dir.removeMember(String(g2), String(u4));
    const third = await syncEvents();
    assert.deepEqual(summary(third.events), [`membership.removed:${u4}`]);
  });

  it('a watched group gets transitive membership events through a 3-deep nesting change', async () => {
    const dir = fx.emulator.directory;
    const top = dir.createGroup({ displayName: 'Finance' });
    const middle = dir.createGroup({ displayName: 'Finance EU' });
    const bottom = dir.createGroup({ displayName: 'Finance EU Paris' });
    const ada = dir.createUser({ displayName: 'Ada Watched' });
    dir.addMember(String(top.id), String(middle.id));
    dir.addMember(String(bottom.id), String(ada.id));
    await syncEvents();
    // Watch `Finance` (a webhook with --group): inserted directly, the webhook API is tested elsewhere.
    await fx.gatehouse.store.db
      .insertInto('webhooks')
      .values({
        id: randomUUID(),
        name: 'watch-finance',
        url: 'https://example.com/hook',
        connection_id: null,
        types: '[]',
        groups: JSON.stringify([top.id]),
        secret: 'x',
        created_at: new Date().toISOString(),
        created_by: null,
        lease_owner: null,
        lease_until: null,
      })
      .execute();
    dir.addMember(String(middle.id), String(bottom.id));
    const joined = await syncEvents();
    const transitive = joined.events.filter((e) => e.data.transitive === true);
    assert.deepEqual(
      transitive.map((e) => [e.type, e.data.groupId, e.data.memberId]),
      [['membership.added', top.id, ada.id]],
    );
    const deliveries = await fx.gatehouse.store.db.selectFrom('webhook_deliveries').selectAll().execute();
    assert.equal(deliveries.length, 1, 'the watching webhook gets only events of its group');

    dir.removeMember(String(middle.id), String(bottom.id));
    const left = await syncEvents();
    assert.deepEqual(
      left.events.filter((e) => e.data.transitive === true).map((e) => [e.type, e.data.memberId]),
      [['membership.removed', ada.id]],
    );
    await fx.gatehouse.store.db.deleteFrom('webhooks').execute();
    await fx.gatehouse.store.db.deleteFrom('webhook_deliveries').execute();
  });

  it("an identity action's write is an event with source action and its actor, the sync after it adds none", async () => {
    const dir = fx.emulator.directory;
    const group = dir.snapshot().groups[0];
    const user = dir
      .snapshot()
      .users.find((u) => u.accountEnabled !== false && !dir.memberIds(String(group?.id)).includes(String(u.id)));
    await fx.gatehouse.actions.run(
      fx.connectionName,
      'group.addMember',
      { group: group?.id, members: [user?.id] },
      { name: 'workflow-test', origin: { channel: 'library' } },
    );
    const events = await fx.gatehouse.events.list(fx.connectionName, { after: cursor });
    assert.deepEqual(
      events.map((e) => [e.type, e.source, e.data.actor, e.data.memberId]),
      [['membership.added', 'action', 'workflow-test', user?.id]],
    );
    cursor = events.at(-1)?.id ?? cursor;
    const { events: after } = await syncEvents();
    assert.deepEqual(summary(after), [], 'the sync finds the change already applied');
  });

  it('filters by type and rejects unknown types and cursors with stable codes', async () => {
    const all = await fx.gatehouse.events.list(fx.connectionName, { types: ['membership.added'] });
    assert.ok(all.length > 0 && all.every((e) => e.type === 'membership.added'));
    await assert.rejects(fx.gatehouse.events.list(fx.connectionName, { types: ['user.exploded'] }), {
      code: 'EVENT_TYPE_UNKNOWN',
    });
    await assert.rejects(fx.gatehouse.events.list(fx.connectionName, { after: 'abc' }), {
      code: 'EVENT_CURSOR_INVALID',
    });
  });

  it('prunes events older than the retention', async () => {
    const before = (await fx.gatehouse.events.list(fx.connectionName, { limit: 1000 })).length;
    assert.ok(before > 0);
    await fx.gatehouse.store.db
      .updateTable('directory_events')
      .set({ occurred_at: '2020-01-01T00:00:00.000Z' })
      .where('seq', '<=', 2)
      .execute();
    assert.equal(await fx.gatehouse.events.prune(), 2);
    assert.equal((await fx.gatehouse.events.list(fx.connectionName, { limit: 1000 })).length, before - 2);
  });
});

/**
 * Issue 11 × 14: a soft-deleted user keeps its memberships in Entra (hidden from answers) and a restore brings them
 * back without any groups-delta entry. Events follow what answers show: the soft delete removes the memberships,
 * the restore adds them back, and the permanent delete of a soft-deleted user is `user.purged` with nothing else.
 */
describe('directory events of soft delete, restore and purge', () => {
  let fx: GatehouseFixture;
  let cursor = '0';
  before(async () => {
    fx = await startGatehouseFixture({
      emulator: { users: 10, groups: 3, seed: 'events-soft-delete', realism: { softDeleteKeepsMemberships: true } },
    });
  });
  after(() => fx.close());

  async function syncEvents(): Promise<string[]> {
    await fx.emulator.settle(); // replicated by the time the sync runs (see above)
    const report = await fx.gatehouse.sync.run(fx.connectionName);
    assert.equal(report.status, 'succeeded', JSON.stringify(report.errors));
    const events = await fx.gatehouse.events.list(fx.connectionName, { after: cursor, limit: 1000 });
    if (events.length > 0) cursor = events.at(-1)?.id ?? cursor;
    assert.equal(report.events, events.length);
    const about = (e: DirectoryEvent) => e.data.groupId ?? (e.data.user as { id?: string } | undefined)?.id;
    return events.map((e) => `${e.type}:${String(about(e))}`).sort();
  }

  it('deleted + memberships removed, restored + memberships added, then purged alone', async () => {
    const dir = fx.emulator.directory;
    const user = dir.createUser({ displayName: 'Leaves And Returns' });
    const groups = ['Finance', 'Travel'].map((displayName) => dir.createGroup({ displayName }));
    for (const g of groups) dir.addMember(g.id, user.id);
    await syncEvents(); // baseline
    const ids = groups.map((g) => g.id);

    dir.delete(user.id);
    assert.deepEqual(
      await syncEvents(),
      [`user.deleted:${user.id}`, ...ids.map((g) => `membership.removed:${g}`)].sort(),
    );
    assert.deepEqual(await syncEvents(), [], 'a soft-deleted user is reported once');

    dir.restore(user.id);
    assert.deepEqual(
      await syncEvents(),
      [`user.restored:${user.id}`, ...ids.map((g) => `membership.added:${g}`)].sort(),
    );

    dir.delete(user.id);
    await syncEvents();
    dir.delete(user.id, { permanently: true });
    assert.deepEqual(await syncEvents(), [`user.purged:${user.id}`]);
  });
});
