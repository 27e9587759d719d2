import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createManualClock } from '../../src/core/clock.js';
import { type EmulatedObject, type Emulator, startEmulator } from '../../src/emulator/index.js';
import { defaultCaller, type GraphCall, walkDelta } from './graph-test-client.js';

const SMALL_PAGES = { Prefer: 'odata.maxpagesize=5' };
type Item = Record<string, unknown>;

/** Folds a round into the final state per id, merging members@delta slices the way a sync must. */
function fold(items: Item[]): Map<string, { item: Item; added: Set<string>; removed: Set<string> }> {
  const out = new Map<string, { item: Item; added: Set<string>; removed: Set<string> }>();
  for (const item of items) {
    const id = String(item.id);
    const entry = out.get(id) ?? { item, added: new Set<string>(), removed: new Set<string>() };
    entry.item = { ...entry.item, ...item };
    for (const ref of (item['members@delta'] as Item[] | undefined) ?? []) {
      if (ref['@removed']) entry.removed.add(String(ref.id));
      else entry.added.add(String(ref.id));
    }
    out.set(id, entry);
  }
  return out;
}

describe('emulator delta queries', () => {
  const clock = createManualClock(new Date('2031-06-01T00:00:00Z'));
  let emulator: Emulator;
  let call: GraphCall;
  const users: EmulatedObject[] = [];
  let big: EmulatedObject;
  let small: EmulatedObject;
  let device: EmulatedObject;
  let sp: EmulatedObject;

  before(async () => {
    emulator = await startEmulator({ profile: 'exact', seed: 'delta', clock });
    const d = emulator.directory;
    for (let i = 0; i < 23; i++) users.push(d.createUser({ displayName: `User ${i}`, jobTitle: 'Engineer' }));
    big = d.createGroup({ displayName: 'Big' });
    small = d.createGroup({ displayName: 'Small' });
    device = d.createDevice({ displayName: 'PC-1' });
    sp = d.createServicePrincipal({ displayName: 'robot' });
    for (const u of users.slice(0, 12)) d.addMember(big.id, u.id);
    d.addMember(small.id, users[20]?.id as string);
    d.addMember(small.id, device.id);
    d.addMember(small.id, sp.id);
    d.addMember(big.id, small.id);
    call = await defaultCaller(emulator);
  });
  after(() => emulator.stop());

  it('walks a full users round with small pages, replays and empty pages, then returns exactly the changes', async () => {
    const round = await walkDelta(call, '/users/delta?$select=displayName,jobTitle,accountEnabled', SMALL_PAGES);
    assert.ok(round.pages.every((p) => p.length <= 5));
    assert.ok(
      round.pages.slice(0, -1).some((p) => p.length === 0),
      'an empty page that still carries a nextLink',
    );
    const ids = round.items.map((u) => u.id);
    assert.ok(ids.length > new Set(ids).size, 'an object repeated within the round');
    assert.deepEqual(new Set(ids), new Set(users.map((u) => u.id)));
    assert.deepEqual(Object.keys(round.items[0] ?? {}).sort(), ['accountEnabled', 'displayName', 'id', 'jobTitle']);

    const d = emulator.directory;
    const [renamed, disabled, softDeleted, purged, untouched] = users.slice(12, 17) as [
      EmulatedObject,
      EmulatedObject,
      EmulatedObject,
      EmulatedObject,
      EmulatedObject,
    ];
    d.update(renamed.id, { displayName: 'Renamed' });
    d.update(untouched.id, { officeLocation: 'not selected' });
    d.disableUser(disabled.id);
    d.delete(softDeleted.id);
    d.delete(purged.id, { permanently: true });
    const created = d.createUser({ displayName: 'Newcomer' });
    const ephemeral = d.createUser({ displayName: 'Here and gone' });
    d.delete(ephemeral.id, { permanently: true });

    const next = await walkDelta(call, round.deltaLink);
    const state = fold(next.items);
    assert.deepEqual([...state.keys()].sort(), [renamed.id, disabled.id, softDeleted.id, purged.id, created.id].sort());
    assert.equal(state.get(renamed.id)?.item.displayName, 'Renamed');
    assert.equal(state.get(disabled.id)?.item.accountEnabled, false);
    assert.deepEqual(state.get(softDeleted.id)?.item['@removed'], { reason: 'changed' });
    assert.deepEqual(state.get(purged.id)?.item['@removed'], { reason: 'deleted' });
    assert.equal(state.get(created.id)?.item.displayName, 'Newcomer');

    const quiet = await walkDelta(call, next.deltaLink);
    assert.deepEqual(quiet.items, []);
  });

  it("splits a group's members over pages, types non-user members, and reports member changes", async () => {
    const round = await walkDelta(call, '/groups/delta?$select=displayName,members', SMALL_PAGES);
    const bigPages = round.pages.filter((p) => p.some((g) => g.id === big.id && g['members@delta']));
    assert.ok(bigPages.length >= 3, 'the 13 members of Big span several pages');
    const state = fold(round.items);
    assert.deepEqual(
      [...(state.get(big.id)?.added ?? [])].sort(),
      [...users.slice(0, 12).map((u) => u.id), small.id].sort(),
    );
    const smallRefs = round.items.filter((g) => g.id === small.id).flatMap((g) => (g['members@delta'] as Item[]) ?? []);
    assert.deepEqual(smallRefs.map((r) => r['@odata.type']).sort(), [
      '#microsoft.graph.device',
      '#microsoft.graph.servicePrincipal',
      '#microsoft.graph.user',
    ]);

    const d = emulator.directory;
    const [u0, u1, , , , , , , , , , , , , , , , , , , , , u22] = users as EmulatedObject[];
    d.removeMember(big.id, u0?.id as string);
    d.addMember(big.id, u22?.id as string);
    d.addMember(small.id, u1?.id as string);
    d.removeMember(small.id, u1?.id as string); // nets out
    d.delete(String(users[3]?.id)); // a deleted member leaves the group
    const emptied = d.createGroup({ displayName: 'Doomed' });
    d.update(small.id, { description: 'not selected' });

    const next = await walkDelta(call, round.deltaLink);
    const changes = fold(next.items);
    assert.deepEqual([...changes.keys()].sort(), [big.id, emptied.id].sort());
    assert.deepEqual([...(changes.get(big.id)?.removed ?? [])].sort(), [u0?.id, users[3]?.id].sort());
    assert.deepEqual([...(changes.get(big.id)?.added ?? [])], [u22?.id]);
    assert.equal(
      changes.get(emptied.id)?.item['members@delta'],
      undefined,
      'a group without members omits the property',
    );
  });

  it('returns only a deltaLink for $deltatoken=latest, and later only what changed after it', async () => {
    const latest = await call('GET', '/users/delta?$deltatoken=latest&$select=displayName');
    assert.deepEqual(latest.body.value, []);
    assert.equal(latest.body['@odata.nextLink'], undefined);
    emulator.directory.update(String(users[7]?.id), { displayName: 'After latest' });
    const round = await walkDelta(call, String(latest.body['@odata.deltaLink']));
    assert.deepEqual(round.items, [{ displayName: 'After latest', id: users[7]?.id }]);
  });

  it('answers 410 Gone with a Location for expired or invalidated tokens', async () => {
    const round = await walkDelta(call, '/users/delta?$select=displayName');
    emulator.expireDeltaTokens();
    const gone = await call<{ error: { code: string } }>('GET', round.deltaLink);
    assert.equal(gone.status, 410);
    assert.equal(gone.headers.get('location'), `${emulator.url}/v1.0/users/delta?$select=displayName`);
    const fresh = await walkDelta(call, String(gone.headers.get('location')));
    clock.advance(7 * 24 * 3600_000 + 1000);
    call = await defaultCaller(emulator); // the bearer token expired too
    const old = await call('GET', fresh.deltaLink);
    assert.equal(old.status, 410);
  });

  it('returns only changed properties with Prefer: return=minimal', async () => {
    const user = users[6] as EmulatedObject;
    const round = await walkDelta(call, '/users/delta?$deltatoken=latest&$select=displayName,jobTitle');
    emulator.directory.update(user.id, { jobTitle: 'Architect' });
    const next = await walkDelta(call, round.deltaLink, { Prefer: 'return=minimal' });
    assert.deepEqual(next.items, [{ jobTitle: 'Architect', id: user.id }]);
  });

  it('reports a restored user again in full', async () => {
    const user = users[11] as EmulatedObject;
    emulator.directory.delete(user.id);
    const round = await walkDelta(call, '/users/delta?$deltatoken=latest&$select=displayName');
    emulator.directory.restore(user.id);
    const next = await walkDelta(call, round.deltaLink);
    assert.deepEqual(next.items, [{ displayName: user.displayName, id: user.id }]);
  });

  it('tracks only the ids of a $filter=id eq … or … round', async () => {
    const [a, b, c] = [users[8], users[9], users[10]] as [EmulatedObject, EmulatedObject, EmulatedObject];
    const filter = encodeURIComponent(`id eq '${a.id}' or id eq '${b.id}'`);
    const round = await walkDelta(call, `/users/delta?$filter=${filter}&$select=displayName`);
    assert.deepEqual([...new Set(round.items.map((u) => u.id))].sort(), [a.id, b.id].sort());
    emulator.directory.update(b.id, { displayName: 'Filtered B' });
    emulator.directory.update(c.id, { displayName: 'Not tracked' });
    const next = await walkDelta(call, round.deltaLink);
    assert.deepEqual(next.items, [{ displayName: 'Filtered B', id: b.id }]);
  });

  it('refuses $top on delta and tampered tokens', async () => {
    assert.equal((await call('GET', '/users/delta?$top=5')).status, 400);
    assert.equal((await call('GET', '/users/delta?$skiptoken=abc')).status, 400);
  });
});

describe('emulator delta page sizes (facts C.3a)', () => {
  it('caps delta pages at 200 objects and 500 member links even when more is preferred, lists at 100 by default', async () => {
    const emulator = await startEmulator({
      profile: 'exact',
      seed: 'caps',
      users: 450,
      groups: 1,
      generate: { devices: 0, servicePrincipals: 0 },
    });
    try {
      const call = await defaultCaller(emulator);
      const users = await walkDelta(call, '/users/delta?$select=displayName', { Prefer: 'odata.maxpagesize=999' });
      assert.deepEqual(
        users.pages.map((p) => p.length),
        [200, 200, 50],
      );
      const groups = await walkDelta(call, '/groups/delta?$select=displayName,members');
      const links = groups.pages.map((p) =>
        p.reduce((n, g) => n + ((g['members@delta'] as unknown[]) ?? []).length, 0),
      );
      assert.deepEqual(links, [450], 'the all-staff group fits one page');
      const list = await call<{ value: unknown[] }>('GET', '/users');
      assert.equal(list.body.value.length, 100);
    } finally {
      await emulator.stop();
    }
  });

  it('splits 1,200 member links of one group into pages of 500', async () => {
    const emulator = await startEmulator({
      profile: 'exact',
      seed: 'split',
      users: 1200,
      groups: 1,
      generate: { devices: 0, servicePrincipals: 0 },
    });
    try {
      const call = await defaultCaller(emulator);
      const groups = await walkDelta(call, '/groups/delta?$select=displayName,members');
      const links = groups.pages.map((p) =>
        p.reduce((n, g) => n + ((g['members@delta'] as unknown[]) ?? []).length, 0),
      );
      assert.deepEqual(links, [500, 500, 200]);
    } finally {
      await emulator.stop();
    }
  });
});
