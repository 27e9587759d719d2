import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { connectionId, failure, run } from './actions-support.js';

interface MembershipChange {
  group: string;
  changed: string[];
  unchanged: string[];
  failed: { member: string; code: string; message: string }[];
}

describe('group actions against the emulator', () => {
  let fx: GatehouseFixture;
  let domain: string;
  let cid: string;
  before(async () => {
    fx = await startGatehouseFixture({ emulator: { seed: 'actions-groups' } });
    domain = fx.emulator.tenant.domain;
    cid = await connectionId(fx);
  });
  after(() => fx?.close());

  test('group.list filters by prefix and pages; group.get takes an id or an exact name', async () => {
    const sales = fx.emulator.directory.createGroup({ displayName: 'Sales EMEA' });
    fx.emulator.directory.createGroup({ displayName: 'Sales APAC' });
    fx.emulator.directory.createGroup({ displayName: 'Support' });
    // The realistic profile lags every write, harness seeding too: settle() = the seeded state has replicated.
    await fx.emulator.settle();
    const page = await run<{ groups: { displayName: string }[]; nextCursor?: string }>(fx, 'group.list', {
      search: 'Sales',
      top: 1,
    });
    assert.equal(page.groups.length, 1);
    const rest = await run<{ groups: { displayName: string }[]; nextCursor?: string }>(fx, 'group.list', {
      cursor: page.nextCursor,
    });
    assert.deepEqual([...page.groups, ...rest.groups].map((g) => g.displayName).sort(), ['Sales APAC', 'Sales EMEA']);
    assert.equal((await run<{ id: string }>(fx, 'group.get', { group: 'Sales EMEA' })).id, sales.id);
    assert.equal((await run<{ displayName: string }>(fx, 'group.get', { group: sales.id })).displayName, 'Sales EMEA');
    assert.equal((await failure(fx, 'group.get', { group: 'No Such Group' })).code, 'GRAPH_NOT_FOUND');
  });

  test('an ambiguous group name is refused with the candidates', async () => {
    const a = fx.emulator.directory.createGroup({ displayName: 'Twins' });
    const b = fx.emulator.directory.createGroup({ displayName: 'Twins' });
    await fx.emulator.settle();
    const error = await failure(fx, 'group.members', { group: 'Twins' });
    assert.equal(error.code, 'DIRECTORY_AMBIGUOUS_GROUP');
    const candidates = error.details.candidates as { id: string }[];
    assert.deepEqual(candidates.map((c) => c.id).sort(), [a.id, b.id].sort());
  });

  test('group.members lists direct and transitive members', async () => {
    const alice = fx.emulator.directory.createUser({ displayName: 'Alice Member' });
    const bob = fx.emulator.directory.createUser({ displayName: 'Bob Member' });
    const team = fx.emulator.directory.createGroup({ displayName: 'Team Members' });
    const org = fx.emulator.directory.createGroup({ displayName: 'Org Members' });
    fx.emulator.directory.addMember(team.id, bob.id);
    fx.emulator.directory.addMember(org.id, alice.id);
    fx.emulator.directory.addMember(org.id, team.id);
    await fx.emulator.settle();
    const direct = await run<{ members: { id: string; type: string }[] }>(fx, 'group.members', { group: org.id });
    assert.deepEqual(
      direct.members.map((m) => `${m.type}:${m.id}`).sort(),
      [`group:${team.id}`, `user:${alice.id}`].sort(),
    );
    const all = await run<{ members: { id: string }[] }>(fx, 'group.members', {
      group: 'Org Members',
      transitive: true,
    });
    assert.deepEqual(all.members.map((m) => m.id).sort(), [alice.id, bob.id, team.id].sort());
  });

  test('addMember/removeMember are idempotent, report per member, and update the local directory at once', async () => {
    const carol = fx.emulator.directory.createUser({ displayName: 'Carol Add' });
    const dave = fx.emulator.directory.createUser({ displayName: 'Dave Add' });
    const group = fx.emulator.directory.createGroup({ displayName: 'Onboarding' });
    await fx.emulator.settle();
    // The users are in the local directory (as after a sync); the group is not yet.
    await run(fx, 'user.update', { user: carol.id, properties: { jobTitle: 'New' } });
    await run(fx, 'user.update', { user: dave.id, properties: { jobTitle: 'New' } });

    const added = await run<MembershipChange>(fx, 'group.addMember', {
      group: 'Onboarding',
      members: [carol.id, String(dave.userPrincipalName)],
    });
    assert.deepEqual(added, { group: group.id, changed: [carol.id, dave.id], unchanged: [], failed: [] });
    assert.deepEqual(fx.emulator.directory.memberIds(group.id).sort(), [carol.id, dave.id].sort());
    const check = await run<{ member: boolean; path: { id: string }[]; source: string }>(fx, 'membership.check', {
      user: String(carol.userPrincipalName),
      group: 'Onboarding',
    });
    assert.equal(check.member, true);
    assert.equal(check.source, 'directory');
    assert.deepEqual(
      check.path.map((p) => p.id),
      [group.id],
    );

    // Live, Graph answers yes once the new memberships have replicated (the lagging answer is in
    // actions-eventual-consistency.test.ts).
    await fx.emulator.settle();
    const live = await run<{ member: boolean; source: string }>(fx, 'membership.check', {
      user: carol.id,
      group: group.id,
      live: true,
    });
    assert.deepEqual([live.member, live.source], [true, 'live']);

    const again = await run<MembershipChange>(fx, 'group.addMember', { group: group.id, members: [carol.id] });
    assert.deepEqual(again, { group: group.id, changed: [], unchanged: [carol.id], failed: [] });

    const mixed = await run<MembershipChange>(fx, 'group.addMember', {
      group: group.id,
      members: [dave.id, `ghost@${domain}`],
    });
    assert.deepEqual(mixed.unchanged, [dave.id]);
    assert.equal(mixed.failed[0]?.member, `ghost@${domain}`);
    assert.equal(mixed.failed[0]?.code, 'GRAPH_NOT_FOUND');

    const removed = await run<MembershipChange>(fx, 'group.removeMember', { group: group.id, members: [carol.id] });
    assert.deepEqual(removed, { group: group.id, changed: [carol.id], unchanged: [], failed: [] });
    assert.deepEqual(fx.emulator.directory.memberIds(group.id), [dave.id]);
    const after = await run<{ member: boolean }>(fx, 'membership.check', { user: carol.id, group: group.id });
    assert.equal(after.member, false);
    const notMember = await run<MembershipChange>(fx, 'group.removeMember', { group: group.id, members: [carol.id] });
    assert.deepEqual(notMember, { group: group.id, changed: [], unchanged: [carol.id], failed: [] });

    const audit = await fx.gatehouse.audit.list({ connection: fx.connectionName, action: 'group.removeMember' });
    assert.equal(audit.length, 2);
    assert.deepEqual(audit[1]?.details, { changed: [carol.id], unchanged: [], failed: [] });
    assert.equal(audit[1]?.target, group.id);
  });

  test('dynamic groups are refused up front; a role-assignable group is GRAPH_PROTECTED_OBJECT', async () => {
    const user = fx.emulator.directory.createUser({ displayName: 'Dyn User' });
    fx.emulator.directory.createGroup({
      displayName: 'All Engineers',
      groupTypes: ['DynamicMembership'],
      membershipRule: '(user.department -eq "Engineering")',
    });
    await fx.emulator.settle();
    fx.emulator.clearRequestLog();
    const dynamic = await failure(fx, 'group.addMember', { group: 'All Engineers', members: [user.id] });
    assert.equal(dynamic.code, 'GRAPH_BAD_REQUEST');
    assert.match(dynamic.message, /dynamic membership/);
    assert.equal(fx.emulator.requestLog().filter((e) => e.path.includes('$batch')).length, 0);

    const admins = fx.emulator.directory.createGroup({ displayName: 'Tier0 Admins', isAssignableToRole: true });
    await fx.emulator.settle();
    const error = await failure(fx, 'group.addMember', { group: admins.id, members: [user.id] });
    assert.equal(error.code, 'GRAPH_PROTECTED_OBJECT');
    assert.deepEqual(fx.emulator.directory.memberIds(admins.id), []);
  });

  test('members named by UPN are written to the local directory with the membership', async () => {
    const erin = fx.emulator.directory.createUser({ displayName: 'Erin Unsynced' });
    fx.emulator.directory.createGroup({ displayName: 'Fresh Group' });
    await fx.emulator.settle();
    assert.equal(await fx.gatehouse.directory.reader.getUser(cid, erin.id), undefined);
    await run(fx, 'group.addMember', { group: 'Fresh Group', members: [String(erin.userPrincipalName)] });
    assert.equal((await fx.gatehouse.directory.reader.getUser(cid, erin.id))?.displayName, 'Erin Unsynced');
    const check = await run<{ member: boolean }>(fx, 'membership.check', {
      user: String(erin.userPrincipalName),
      group: 'Fresh Group',
    });
    assert.equal(check.member, true);
  });

  test('nesting a group by id links it as a group, so a local check finds the path through it', async () => {
    const frank = fx.emulator.directory.createUser({ displayName: 'Frank Nested' });
    const child = fx.emulator.directory.createGroup({ displayName: 'Child Team' });
    const parent = fx.emulator.directory.createGroup({ displayName: 'Parent Division' });
    await fx.emulator.settle();
    await run(fx, 'group.addMember', { group: child.id, members: [String(frank.userPrincipalName)] });
    await run(fx, 'group.addMember', { group: parent.id, members: [child.id] });
    const [link] = await fx.gatehouse.directory.reader.listMembers(cid, parent.id);
    assert.deepEqual(link, { groupId: parent.id, memberId: child.id, memberType: 'group' });
    const check = await run<{ member: boolean; path: { id: string }[] }>(fx, 'membership.check', {
      user: frank.id,
      group: 'Parent Division',
    });
    assert.deepEqual(
      check.path.map((p) => p.id),
      [child.id, parent.id],
    );
  });

  test('adding to a group that does not exist is GRAPH_NOT_FOUND', async () => {
    const error = await failure(fx, 'group.addMember', { group: 'Nowhere', members: ['x@y.z'] });
    assert.equal(error.code, 'GRAPH_NOT_FOUND');
    assert.match(error.message, /Nowhere/);
  });

  test('500 members are added in 25 batches of 20, far fewer than 500 requests', async (t) => {
    // Counts $batch requests: no random 429s (their retries add batches); the rest of realism stays on.
    const rate = fx.emulator.realism.randomThrottleRate;
    fx.emulator.setRealism({ randomThrottleRate: 0 });
    t.after(() => fx.emulator.setRealism({ randomThrottleRate: rate }));
    const big = fx.emulator.directory.createGroup({ displayName: 'All Staff' });
    const ids = Array.from(
      { length: 500 },
      (_, n) => fx.emulator.directory.createUser({ displayName: `Staff ${n}` }).id,
    );
    await fx.emulator.settle();
    fx.emulator.clearRequestLog();
    const result = await run<MembershipChange>(fx, 'group.addMember', { group: big.id, members: ids });
    assert.equal(result.changed.length, 500);
    assert.equal(fx.emulator.directory.memberIds(big.id).length, 500);
    const log = fx.emulator.requestLog();
    const outer = log.filter((e) => e.kind === 'graph');
    const batches = outer.filter((e) => e.path.includes('$batch'));
    assert.equal(batches.length, 25);
    assert.ok(outer.length <= 30, `${outer.length} HTTP requests to Graph for 500 members`);
    assert.equal(log.filter((e) => e.kind === 'batch-item' && e.status === 204).length, 500);
    assert.equal((await fx.gatehouse.directory.reader.listMembers(cid, big.id)).length, 500);
    const [event] = await fx.gatehouse.audit.list({ action: 'group.addMember', limit: 1 });
    assert.deepEqual(event?.details, { changedCount: 500, unchangedCount: 0, failed: [] });
  });

  test('throttled batch items are retried after their Retry-After and then succeed', async (t) => {
    // Counts 429 and 204 batch items: only the two injected 429s (the rest of realism stays on).
    const rate = fx.emulator.realism.randomThrottleRate;
    fx.emulator.setRealism({ randomThrottleRate: 0 });
    t.after(() => fx.emulator.setRealism({ randomThrottleRate: rate }));
    const group = fx.emulator.directory.createGroup({ displayName: 'Throttled Adds' });
    const ids = Array.from({ length: 3 }, (_, n) => fx.emulator.directory.createUser({ displayName: `Thr ${n}` }).id);
    await fx.emulator.settle();
    fx.emulator.faults.failNextGraphRequests(2, {
      status: 429,
      retryAfterSeconds: 1,
      match: ({ method, path }) => method === 'POST' && path.endsWith('/members/$ref'),
    });
    fx.emulator.clearRequestLog();
    const result = await run<MembershipChange>(fx, 'group.addMember', { group: group.id, members: ids });
    assert.deepEqual(result.changed.sort(), [...ids].sort());
    const items = fx.emulator.requestLog().filter((e) => e.kind === 'batch-item');
    assert.equal(items.filter((e) => e.status === 429).length, 2);
    assert.equal(items.filter((e) => e.status === 204).length, 3);
  });

  test('without GroupMember.ReadWrite.All the error names that permission', async () => {
    const app = fx.emulator.registerApp({ applicationPermissions: ['User.Read.All', 'GroupMember.Read.All'] });
    await fx.createConnectionFor('members-read-only', app);
    const group = fx.emulator.directory.createGroup({ displayName: 'Locked' });
    const user = fx.emulator.directory.createUser({ displayName: 'Locked Out' });
    await fx.emulator.settle();
    const error = await failure(fx, 'group.addMember', { group: group.id, members: [user.id] }, 'members-read-only');
    assert.equal(error.code, 'GRAPH_INSUFFICIENT_PRIVILEGES');
    assert.match(error.hint, /GroupMember\.ReadWrite\.All/);
    assert.deepEqual(error.details.missingPermissions, ['GroupMember.ReadWrite.All']);
    assert.deepEqual(fx.emulator.directory.memberIds(group.id), []);
  });

  test('graph.request reads by default, writes only when allowed, and never leaves the Graph host', async () => {
    const read = await run<{ status: number; body: { value: unknown[] } }>(fx, 'graph.request', {
      path: '/users?$top=1',
    });
    assert.equal(read.status, 200);
    assert.equal(read.body.value.length, 1);
    const user = fx.emulator.directory.createUser({ displayName: 'Raw Patch' });
    await fx.emulator.settle();
    const refused = await failure(fx, 'graph.request', {
      method: 'PATCH',
      path: `/users/${user.id}`,
      body: { jobTitle: 'Raw' },
    });
    assert.equal(refused.code, 'ACTION_WRITE_NOT_ALLOWED');
    assert.equal(fx.emulator.directory.get(user.id)?.jobTitle, undefined);
    // allowWrite alone is not enough: the connection's admin lists the writes operators may send (issue 12 #14).
    const notListed = await failure(fx, 'graph.request', {
      method: 'PATCH',
      path: `/users/${user.id}`,
      body: { jobTitle: 'Raw' },
      allowWrite: true,
    });
    assert.equal(notListed.code, 'ACTION_GRAPH_WRITE_NOT_ALLOWED');
    assert.match(notListed.hint, /GraphWritePaths/);
    assert.equal(fx.emulator.directory.get(user.id)?.jobTitle, undefined);
    await fx.gatehouse.connections.update(fx.connectionName, {
      set: [{ key: 'GraphWritePaths', value: 'PATCH /users/*' }],
    });
    // A listed pattern cannot be stretched with dot segments to reach what is not listed (issue 12 #10).
    const app = fx.emulator.defaultApp;
    for (const path of [`/users/${user.id}/../../applications`, `/users/%2e%2e/applications`]) {
      const escaped = await failure(fx, 'graph.request', { method: 'PATCH', path, body: {}, allowWrite: true });
      assert.equal(escaped.code, 'ACTION_GRAPH_WRITE_NOT_ALLOWED', path);
    }
    for (const path of ['/../admin/x', '/%2e%2e/%2e%2e/x', `/users/${app.clientId}/%2e%2e/%2e%2e/%2e%2e/x`]) {
      assert.equal((await failure(fx, 'graph.request', { path })).code, 'ACTION_GRAPH_PATH_INVALID', path);
    }
    assert.ok(
      !fx.emulator.requestLog().some((e) => e.kind === 'graph' && !e.path.startsWith('/v1.0/')),
      'no Graph request left /v1.0',
    );
    const written = await run<{ status: number }>(fx, 'graph.request', {
      method: 'PATCH',
      path: `/users/${user.id}`,
      body: { jobTitle: 'Raw' },
      allowWrite: true,
    });
    assert.equal(written.status, 204);
    assert.equal(fx.emulator.directory.get(user.id)?.jobTitle, 'Raw');
    const [event] = await fx.gatehouse.audit.list({ action: 'graph.request', limit: 1 });
    assert.equal(event?.target, `/users/${user.id}`);
    for (const path of ['https://evil.example/v1.0/users', '//evil.example/users', '/v1.0/users']) {
      assert.equal((await failure(fx, 'graph.request', { path })).code, 'ACTION_INVALID_INPUT', path);
    }
    assert.equal((await failure(fx, 'graph.request', { path: '/users/nobody@x.y' })).code, 'GRAPH_NOT_FOUND');
  });

  test('an unknown action is ACTION_UNKNOWN listing the actions', async () => {
    const error = await failure(fx, 'user.teleport', {});
    assert.equal(error.code, 'ACTION_UNKNOWN');
    assert.ok((error.details.available as string[]).includes('group.addMember'));
  });
});
