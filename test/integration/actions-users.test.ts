import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { connectionId, failure, run } from './actions-support.js';

type User = { id: string; userPrincipalName: string; accountEnabled?: boolean; password?: string; jobTitle?: string };

describe('user actions against the emulator', () => {
  let fx: GatehouseFixture;
  let domain: string;
  let cid: string;
  before(async () => {
    fx = await startGatehouseFixture({ emulator: { seed: 'actions-users' } });
    domain = fx.emulator.tenant.domain;
    cid = await connectionId(fx);
  });
  after(() => fx?.close());

  test('user.create generates a strong password once, writes the local directory, audits without the password', async () => {
    const upn = `new.hire@${domain}`;
    const created = await run<User>(fx, 'user.create', { userPrincipalName: upn, displayName: 'New Hire' });
    assert.equal(created.userPrincipalName, upn);
    assert.equal(created.accountEnabled, true);
    assert.equal(created.password?.length, 20);
    assert.equal(fx.emulator.directory.get(upn)?.id, created.id);
    assert.equal((await fx.gatehouse.directory.reader.getUser(cid, upn))?.id, created.id);

    const events = await fx.gatehouse.audit.list({ action: 'user.create' });
    assert.equal(events[0]?.target, upn);
    assert.equal(events[0]?.actor, 'workflow-test');
    assert.equal(events[0]?.result, 'succeeded');
    assert.ok(!JSON.stringify(events).includes(created.password as string), 'the password is not in the audit log');

    const given = await run<User>(fx, 'user.create', {
      userPrincipalName: `given.pw@${domain}`,
      displayName: 'Given Password',
      password: 'Correct-Horse-42',
      properties: { department: 'Sales' },
    });
    assert.equal(given.password, undefined, 'a password the caller chose is not echoed');
    assert.equal(fx.emulator.directory.get(given.id)?.department, 'Sales');
  });

  test('user.create with a taken UPN is GRAPH_CONFLICT naming userPrincipalName', async () => {
    fx.emulator.directory.createUser({ displayName: 'Taken', userPrincipalName: `taken@${domain}` });
    const error = await failure(fx, 'user.create', { userPrincipalName: `taken@${domain}`, displayName: 'Again' });
    assert.equal(error.code, 'GRAPH_CONFLICT');
    assert.equal(error.details.property, 'userPrincipalName');
    assert.match(error.message, /userPrincipalName 'taken@/);
    const [event] = await fx.gatehouse.audit.list({ action: 'user.create', limit: 1 });
    assert.equal(event?.result, 'failed');
    assert.equal(event?.errorCode, 'GRAPH_CONFLICT');
  });

  test('user.get by UPN and id; an unknown user is GRAPH_NOT_FOUND naming it', async () => {
    const seeded = fx.emulator.directory.createUser({ displayName: 'Grace Get', jobTitle: 'Engineer' });
    // The realistic profile lags every write, harness seeding too: settle() = the seeded state has replicated.
    await fx.emulator.settle();
    const byUpn = await run<User>(fx, 'user.get', { user: String(seeded.userPrincipalName) });
    assert.equal(byUpn.id, seeded.id);
    assert.equal(byUpn.jobTitle, 'Engineer');
    assert.equal((await run<User>(fx, 'user.get', { user: seeded.id })).userPrincipalName, seeded.userPrincipalName);
    const error = await failure(fx, 'user.get', { user: `nobody@${domain}` });
    assert.equal(error.code, 'GRAPH_NOT_FOUND');
    assert.match(error.message, /nobody@/);
  });

  test('user.list filters by prefix and pages with an opaque cursor', async () => {
    for (const n of [1, 2, 3])
      fx.emulator.directory.createUser({ displayName: `Pager ${n}`, mailNickname: `pager${n}` });
    await fx.emulator.settle();
    const first = await run<{ users: User[]; nextCursor?: string }>(fx, 'user.list', { search: 'Pager', top: 2 });
    assert.equal(first.users.length, 2);
    assert.ok(first.nextCursor);
    const second = await run<{ users: User[]; nextCursor?: string }>(fx, 'user.list', { cursor: first.nextCursor });
    assert.equal(second.users.length, 1);
    assert.equal(second.nextCursor, undefined);
    const names = [...first.users, ...second.users].map((u) => u.userPrincipalName).sort();
    assert.deepEqual(
      names,
      [1, 2, 3].map((n) => `pager${n}@${domain}`),
    );
  });

  test('user.update changes the profile in Entra and in the local directory', async () => {
    const seeded = fx.emulator.directory.createUser({ displayName: 'Ursula Update' });
    await fx.emulator.settle();
    const updated = await run<User>(fx, 'user.update', {
      user: String(seeded.userPrincipalName),
      properties: { jobTitle: 'Director', department: 'Finance' },
    });
    assert.equal(updated.jobTitle, 'Director');
    assert.equal(fx.emulator.directory.get(seeded.id)?.department, 'Finance');
    assert.equal((await fx.gatehouse.directory.reader.getUser(cid, seeded.id))?.jobTitle, 'Director');
    const error = await failure(fx, 'user.update', { user: seeded.id, properties: { shoeSize: '44' } });
    assert.equal(error.code, 'ACTION_INVALID_INPUT');
    assert.match(error.message, /shoeSize/);
  });

  test('user.disable and user.enable are idempotent and keep the local directory current', async () => {
    const seeded = fx.emulator.directory.createUser({ displayName: 'Dora Disable' });
    await fx.emulator.settle();
    const upn = String(seeded.userPrincipalName);
    await run(fx, 'user.get', { user: upn });
    const disabled = await run<{ user: User; changed: boolean }>(fx, 'user.disable', { user: upn });
    assert.equal(disabled.changed, true);
    assert.equal(fx.emulator.directory.get(seeded.id)?.accountEnabled, false);
    // Default policy: disabled users are excluded from the local directory, as a sync would do.
    assert.equal(await fx.gatehouse.directory.reader.getUser(cid, seeded.id), undefined);
    const again = await run<{ user: User; changed: boolean }>(fx, 'user.disable', { user: upn });
    assert.equal(again.changed, false);
    assert.equal(again.user.accountEnabled, false);

    const enabled = await run<{ user: User; changed: boolean }>(fx, 'user.enable', { user: upn });
    assert.equal(enabled.changed, true);
    assert.equal(fx.emulator.directory.get(seeded.id)?.accountEnabled, true);
    assert.equal((await fx.gatehouse.directory.reader.getUser(cid, seeded.id))?.accountEnabled, true);
  });

  test('with --disabled-users include, a disabled user stays in the local directory as disabled', async () => {
    const app = fx.emulator.registerApp({ applicationPermissions: ['User.ReadWrite.All'] });
    await fx.createConnectionFor('keeps-disabled', app);
    await fx.gatehouse.sync.configure('keeps-disabled', { disabledUsers: 'include' });
    const seeded = fx.emulator.directory.createUser({ displayName: 'Kept Disabled' });
    await fx.emulator.settle();
    await run(fx, 'user.disable', { user: seeded.id }, 'keeps-disabled');
    const local = await fx.gatehouse.directory.reader.getUser(await connectionId(fx, 'keeps-disabled'), seeded.id);
    assert.equal(local?.accountEnabled, false);
  });

  test('a protected administrator cannot be disabled: GRAPH_PROTECTED_OBJECT says why', async () => {
    const admin = fx.emulator.directory.createUser({ displayName: 'Global Admin' }, { privileged: true });
    await fx.emulator.settle();
    const error = await failure(fx, 'user.disable', { user: admin.id });
    assert.equal(error.code, 'GRAPH_PROTECTED_OBJECT');
    assert.match(error.message, /protected/);
    assert.match(error.hint, /directory role/);
    assert.equal(fx.emulator.directory.get(admin.id)?.accountEnabled, true);
  });

  test('user.delete removes the user from Entra and the local directory; a second delete is GRAPH_NOT_FOUND', async () => {
    const created = await run<User>(fx, 'user.create', {
      userPrincipalName: `leaver@${domain}`,
      displayName: 'Leaver',
    });
    // Acting on a user by UPN moments after creating it 404s in a real tenant too; here it has replicated.
    await fx.emulator.settle();
    assert.ok(await fx.gatehouse.directory.reader.getUser(cid, created.id));
    const deleted = await run<{ id: string; deleted: boolean }>(fx, 'user.delete', { user: `leaver@${domain}` });
    assert.equal(deleted.id, created.id);
    assert.equal(fx.emulator.directory.get(created.id), undefined);
    assert.equal(await fx.gatehouse.directory.reader.getUser(cid, created.id), undefined);
    assert.equal((await failure(fx, 'user.delete', { user: created.id })).code, 'GRAPH_NOT_FOUND');
  });

  test('user.groups lists direct and transitive groups', async () => {
    const user = fx.emulator.directory.createUser({ displayName: 'Nested Nora' });
    const inner = fx.emulator.directory.createGroup({ displayName: 'Inner Team' });
    const outer = fx.emulator.directory.createGroup({ displayName: 'Outer Org' });
    fx.emulator.directory.addMember(inner.id, user.id);
    fx.emulator.directory.addMember(outer.id, inner.id);
    await fx.emulator.settle();
    const direct = await run<{ groups: { id: string }[] }>(fx, 'user.groups', { user: user.id });
    assert.deepEqual(
      direct.groups.map((g) => g.id),
      [inner.id],
    );
    const all = await run<{ groups: { id: string }[] }>(fx, 'user.groups', { user: user.id, transitive: true });
    assert.deepEqual(all.groups.map((g) => g.id).sort(), [inner.id, outer.id].sort());
  });

  test('a connection without User.ReadWrite.All gets the permission to add named', async () => {
    const app = fx.emulator.registerApp({ applicationPermissions: ['User.Read.All'] });
    await fx.createConnectionFor('read-only', app);
    const error = await failure(fx, 'user.create', { userPrincipalName: `x@${domain}`, displayName: 'X' }, 'read-only');
    assert.equal(error.code, 'GRAPH_INSUFFICIENT_PRIVILEGES');
    assert.match(error.message, /User\.ReadWrite\.All/);
    assert.match(error.hint, /Add the Application permission User\.ReadWrite\.All/);
    assert.deepEqual(error.details.missingPermissions, ['User.ReadWrite.All']);
    const disable = await failure(fx, 'user.disable', { user: `pager1@${domain}` }, 'read-only');
    assert.equal(disable.code, 'GRAPH_INSUFFICIENT_PRIVILEGES');
    assert.deepEqual(disable.details.missingPermissions, ['User.EnableDisableAccount.All']);
  });

  test('a token without application permissions (delegated only, or no admin consent) says so', async () => {
    const app = fx.emulator.registerApp({ applicationPermissions: ['User.ReadWrite.All'], adminConsented: false });
    await fx.createConnectionFor('no-consent', app);
    const error = await failure(fx, 'user.get', { user: `pager1@${domain}` }, 'no-consent');
    assert.equal(error.code, 'ENTRA_NO_APPLICATION_PERMISSIONS');
    assert.match(error.message, /User\.Read\.All/);
    assert.match(error.hint, /Grant admin consent/);
  });

  test('a throttled request is retried after Retry-After and then succeeds', async (t) => {
    // Counts the Graph requests: no random 429s on top of the two injected ones (the rest of realism stays on).
    const rate = fx.emulator.realism.randomThrottleRate;
    fx.emulator.setRealism({ randomThrottleRate: 0 });
    t.after(() => fx.emulator.setRealism({ randomThrottleRate: rate }));
    const seeded = fx.emulator.directory.createUser({ displayName: 'Theo Throttle' });
    await fx.emulator.settle();
    fx.emulator.faults.failNextGraphRequests(2, { status: 429, retryAfterSeconds: 1 });
    fx.emulator.clearRequestLog();
    const user = await run<User>(fx, 'user.get', { user: seeded.id });
    assert.equal(user.id, seeded.id);
    const statuses = fx.emulator
      .requestLog()
      .filter((e) => e.kind === 'graph')
      .map((e) => e.status);
    assert.deepEqual(statuses, [429, 429, 200]);
  });
});
