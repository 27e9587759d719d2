import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type EmulatedObject, type Emulator, startEmulator } from '../../src/emulator/index.js';
import { defaultCaller, type GraphCall, graphCaller, tokenFor, walkDelta } from './graph-test-client.js';

type ErrorBody = { error: { code: string; message: string; details?: { code: string; target: string }[] } };

describe('emulator Graph writes', () => {
  let emulator: Emulator;
  let call: GraphCall;
  let group: EmulatedObject;
  let member: EmulatedObject;
  let admin: EmulatedObject;

  const newUser = (upn: string) => ({
    accountEnabled: true,
    displayName: 'New Person',
    mailNickname: upn.split('@')[0],
    userPrincipalName: upn,
    passwordProfile: { password: 'Str0ng!Passw0rd', forceChangePasswordNextSignIn: true },
  });

  before(async () => {
    emulator = await startEmulator({ profile: 'exact', seed: 'writes' });
    group = emulator.directory.createGroup({ displayName: 'Writers' });
    member = emulator.directory.createUser({ displayName: 'Mem Ber' });
    admin = emulator.directory.createUser({ displayName: 'Ad Min' }, { privileged: true });
    call = await defaultCaller(emulator);
  });
  after(() => emulator.stop());

  it('creates a user with the five required fields (201), refuses duplicates, missing fields and unverified domains', async () => {
    const upn = `new.person@${emulator.tenant.domain}`;
    const created = await call('POST', '/users', { body: newUser(upn) });
    assert.equal(created.status, 201);
    assert.equal(created.body.userPrincipalName, upn);
    assert.equal(emulator.directory.get(upn)?.accountEnabled, true);
    assert.equal(JSON.stringify(emulator.directory.get(upn)).includes('Str0ng'), false, 'the password is not kept');

    const duplicate = await call<ErrorBody>('POST', '/users', { body: newUser(upn.toUpperCase()) });
    assert.equal(duplicate.status, 400);
    assert.equal(duplicate.body.error.code, 'Request_BadRequest');
    assert.deepEqual(
      duplicate.body.error.details?.map((d) => [d.code, d.target]),
      [['ObjectConflict', 'userPrincipalName']],
    );
    const { mailNickname: _omit, ...missing } = newUser(`other@${emulator.tenant.domain}`);
    const incomplete = await call<ErrorBody>('POST', '/users', { body: missing });
    assert.equal(incomplete.status, 400);
    assert.equal(incomplete.body.error.message, 'Property value is required but is empty or missing.');
    const foreign = await call<ErrorBody>('POST', '/users', { body: newUser('x@fabrikam.com') });
    assert.equal(foreign.status, 400);
  });

  it('updates (204) and soft-deletes (204) a user, which delta reports as @removed changed', async () => {
    const round = await walkDelta(call, '/users/delta?$select=displayName');
    const target = emulator.directory.createUser({ displayName: 'To Go' });
    const patched = await call('PATCH', `/users/${target.id}`, { body: { displayName: 'Going' } });
    assert.equal(patched.status, 204);
    assert.equal(patched.body, undefined);
    assert.equal((await call('DELETE', `/users/${target.id}`)).status, 204);
    assert.equal((await call('GET', `/users/${target.id}`)).status, 404);
    const next = await walkDelta(call, round.deltaLink);
    // Created and deleted within the window: the client never saw it, so it is not reported.
    assert.deepEqual(
      next.items.filter((i) => i.id === target.id),
      [],
    );
    const existing = emulator.directory.createUser({ displayName: 'Existing' });
    const base = await walkDelta(call, next.deltaLink);
    assert.equal((await call('DELETE', `/users/${existing.id}`)).status, 204);
    const after = await walkDelta(call, base.deltaLink);
    assert.deepEqual(after.items, [{ id: existing.id, '@removed': { reason: 'changed' } }]);
  });

  it('protects privileged users from apps without a directory role', async () => {
    const denied = await call<ErrorBody>('PATCH', `/users/${admin.id}`, { body: { accountEnabled: false } });
    assert.equal(denied.status, 403);
    assert.equal(denied.body.error.code, 'Authorization_RequestDenied');
    const roleApp = emulator.registerApp({ applicationPermissions: ['User.ReadWrite.All'], canManagePrivileged: true });
    const privileged = graphCaller(emulator, await tokenFor(emulator, roleApp.clientId, roleApp.secretValue as string));
    assert.equal((await privileged('PATCH', `/users/${admin.id}`, { body: { accountEnabled: false } })).status, 204);
  });

  it('adds members by $ref (400 when already a member, 404 for unknown objects) and removes them (404 when not a member)', async () => {
    const ref = (id: string) => ({ '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${id}` });
    assert.equal((await call('POST', `/groups/${group.id}/members/$ref`, { body: ref(member.id) })).status, 204);
    assert.deepEqual(emulator.directory.memberIds(group.id), [member.id]);
    const again = await call<ErrorBody>('POST', `/groups/${group.id}/members/$ref`, { body: ref(member.id) });
    assert.equal(again.status, 400);
    assert.equal(
      again.body.error.message,
      "One or more added object references already exist for the following modified properties: 'members'.",
    );
    const unknown = await call<ErrorBody>('POST', `/groups/${group.id}/members/$ref`, {
      body: ref(crypto.randomUUID()),
    });
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'Request_ResourceNotFound');
    const noRef = await call('DELETE', `/groups/${group.id}/members/${member.id}`);
    assert.ok(noRef.status >= 400, 'DELETE without /$ref is refused');
    assert.ok(emulator.directory.get(member.id), 'and the user still exists');
    assert.equal((await call('DELETE', `/groups/${group.id}/members/${member.id}/$ref`)).status, 204);
    const notMember = await call<ErrorBody>('DELETE', `/groups/${group.id}/members/${member.id}/$ref`);
    assert.equal(notMember.status, 404);
    assert.equal(notMember.body.error.code, 'Request_ResourceNotFound');
  });

  it('binds up to 20 members with PATCH /groups/{id}, all or nothing', async () => {
    const team = emulator.directory.createGroup({ displayName: 'Bound' });
    const [x, y] = [
      emulator.directory.createUser({ displayName: 'Bind X' }),
      emulator.directory.createUser({ displayName: 'Bind Y' }),
    ];
    const bind = (ids: string[]) => ({
      'members@odata.bind': ids.map((id) => `https://graph.microsoft.com/v1.0/directoryObjects/${id}`),
    });
    assert.equal((await call('PATCH', `/groups/${team.id}`, { body: bind([x.id]) })).status, 204);
    const partial = await call('PATCH', `/groups/${team.id}`, { body: bind([y.id, x.id]) });
    assert.equal(partial.status, 400, 'x is already a member');
    assert.deepEqual(emulator.directory.memberIds(team.id), [x.id], 'nothing of the failed request was applied');
    const tooMany = await call('PATCH', `/groups/${team.id}`, { body: bind(Array.from({ length: 21 }, () => y.id)) });
    assert.equal(tooMany.status, 400);
  });

  it('runs $batch: relative URLs, per-item results, dependsOn with 424, and refuses bad batches', async () => {
    const ref = { '@odata.id': `https://graph.microsoft.com/v1.0/directoryObjects/${member.id}` };
    const json = { 'Content-Type': 'application/json' };
    const batch = await call<{ responses: { id: string; status: number; body?: Record<string, unknown> }[] }>(
      'POST',
      '/$batch',
      {
        body: {
          requests: [
            { id: '1', method: 'POST', url: `/groups/${group.id}/members/$ref`, body: ref, headers: json },
            {
              id: '2',
              method: 'POST',
              url: `/groups/${group.id}/members/$ref`,
              body: ref,
              headers: json,
              dependsOn: ['1'],
            },
            { id: '3', method: 'GET', url: `/users/${member.id}`, dependsOn: ['2'] },
          ],
        },
      },
    );
    assert.equal(batch.status, 200);
    const byId = new Map(batch.body.responses.map((r) => [r.id, r.status]));
    assert.deepEqual([byId.get('1'), byId.get('2'), byId.get('3')], [204, 400, 424]);
    const parallel = await call<{ responses: { id: string; status: number }[] }>('POST', '/$batch', {
      body: {
        requests: [
          { id: 'a', method: 'GET', url: '/v1.0/users' },
          { id: 'b', method: 'GET', url: '/users?$top=1' },
        ],
      },
    });
    const statuses = new Map(parallel.body.responses.map((r) => [r.id, r.status]));
    assert.equal(statuses.get('a'), 400, 'a /v1.0 prefix inside a batch URL is wrong, as in Graph');
    assert.equal(statuses.get('b'), 200);
    const tooMany = await call('POST', '/$batch', {
      body: { requests: Array.from({ length: 21 }, (_, i) => ({ id: String(i), method: 'GET', url: '/users' })) },
    });
    assert.equal(tooMany.status, 400);
    const mixed = await call('POST', '/$batch', {
      body: {
        requests: [
          { id: '1', method: 'GET', url: '/users' },
          { id: '2', method: 'GET', url: '/users' },
          { id: '3', method: 'GET', url: '/users', dependsOn: ['1'] },
        ],
      },
    });
    assert.equal(mixed.status, 400);
    const duplicateIds = await call('POST', '/$batch', {
      body: {
        requests: [
          { id: '1', method: 'GET', url: '/users' },
          { id: '1', method: 'GET', url: '/groups' },
        ],
      },
    });
    assert.equal(duplicateIds.status, 400);
    assert.ok(
      emulator.requestLog().some((e) => e.kind === 'batch-item' && e.path.endsWith('/$ref') && e.status === 204),
    );
  });
});
