import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type EmulatedObject, type Emulator, startEmulator } from '../../src/emulator/index.js';
import { defaultCaller, type GraphCall } from './graph-test-client.js';

interface Page {
  '@odata.context': string;
  '@odata.nextLink'?: string;
  '@odata.count'?: number;
  value: Record<string, unknown>[];
}

describe('emulator Graph reads', () => {
  let emulator: Emulator;
  let call: GraphCall;
  let ada: EmulatedObject;
  let bob: EmulatedObject;
  let engineers: EmulatedObject;
  let platform: EmulatedObject;
  let laptop: EmulatedObject;

  before(async () => {
    emulator = await startEmulator({ profile: 'exact', seed: 'reads' });
    const d = emulator.directory;
    ada = d.createUser({ displayName: 'Ada Lovelace', givenName: 'Ada', department: 'Engineering' });
    bob = d.createUser({ displayName: 'Bob Builder', accountEnabled: false });
    for (let i = 0; i < 250; i++) d.createUser({ displayName: `Filler ${String(i).padStart(3, '0')}` });
    engineers = d.createGroup({ displayName: 'Engineers' });
    platform = d.createGroup({ displayName: 'Platform' });
    laptop = d.createDevice({ displayName: 'LAPTOP-1' });
    d.addMember(engineers.id, platform.id);
    d.addMember(platform.id, ada.id);
    d.addMember(engineers.id, bob.id);
    d.addMember(engineers.id, laptop.id);
    call = await defaultCaller(emulator);
  });
  after(() => emulator.stop());

  it('lists users with the default property set (no accountEnabled), 100 per page, absolute nextLinks', async () => {
    const first = await call<Page>('GET', '/users');
    assert.equal(first.status, 200);
    assert.equal(first.body.value.length, 100);
    assert.equal(first.body['@odata.context'], `${emulator.url}/v1.0/$metadata#users`);
    assert.deepEqual(Object.keys(first.body.value[0] ?? {}).sort(), [
      'businessPhones',
      'displayName',
      'givenName',
      'id',
      'jobTitle',
      'mail',
      'mobilePhone',
      'officeLocation',
      'preferredLanguage',
      'surname',
      'userPrincipalName',
    ]);
    const next = first.body['@odata.nextLink'] as string;
    assert.ok(next.startsWith(`${emulator.url}/v1.0/users?`));
    assert.match(next, /\$skiptoken=/);
    const ids = new Set(first.body.value.map((u) => u.id));
    let link: string | undefined = next;
    while (link) {
      const page: Page = (await call<Page>('GET', link)).body;
      for (const u of page.value) ids.add(u.id);
      link = page['@odata.nextLink'];
    }
    assert.equal(ids.size, 252);
    assert.ok(first.headers.get('request-id'));
    assert.equal(first.headers.get('x-ms-resource-unit'), '2');
  });

  it('honours $select and $top, and refuses $top outside 1–999', async () => {
    const page = await call<Page>('GET', '/users?$select=id,accountEnabled,displayName&$top=999');
    assert.equal(page.body.value.length, 252);
    assert.equal(page.body['@odata.nextLink'], undefined);
    assert.deepEqual(Object.keys(page.body.value[1] ?? {}), ['id', 'accountEnabled', 'displayName']);
    assert.equal(page.body.value[1]?.accountEnabled, false);
    for (const top of ['0', '1000']) {
      const bad = await call<{ error: { code: string; message: string } }>('GET', `/users?$top=${top}`);
      assert.equal(bad.status, 400);
      assert.equal(
        bad.body.error.message,
        `Invalid page size specified: '${top}'. Must be between 1 and 999 inclusive.`,
      );
    }
    const unknown = await call<{ error: { code: string } }>('GET', '/users?$select=nope');
    assert.equal(unknown.status, 400);
  });

  it('sorts with $orderby=displayName and refuses unsupported sorts', async () => {
    const asc = await call<Page>('GET', '/users?$orderby=displayName&$select=displayName&$top=3');
    assert.deepEqual(
      asc.body.value.map((u) => u.displayName),
      ['Ada Lovelace', 'Bob Builder', 'Filler 000'],
    );
    const second = await call<Page>('GET', String(asc.body['@odata.nextLink']));
    assert.deepEqual(
      second.body.value.map((u) => u.displayName),
      ['Filler 001', 'Filler 002', 'Filler 003'],
    );
    const desc = await call<Page>('GET', '/users?$orderby=displayName desc&$select=displayName&$top=1');
    assert.equal(desc.body.value[0]?.displayName, 'Filler 249');
    assert.equal((await call('GET', '/users?$orderby=jobTitle')).status, 400);
  });

  it('gets a user by id and by userPrincipalName, and answers 404 in Graph shape', async () => {
    const byId = await call('GET', `/users/${ada.id}?$select=displayName,department`);
    assert.equal(byId.body.displayName, 'Ada Lovelace');
    assert.equal(byId.body.department, 'Engineering');
    const byUpn = await call('GET', `/users/${encodeURIComponent(String(ada.userPrincipalName).toUpperCase())}`);
    assert.equal(byUpn.body.id, ada.id);
    const missing = await call<{ error: { code: string; message: string; innerError: Record<string, string> } }>(
      'GET',
      '/users/00000000-0000-4000-8000-000000000000',
      { headers: { 'client-request-id': 'my-correlation' } },
    );
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'Request_ResourceNotFound');
    assert.equal(missing.body.error.innerError['client-request-id'], 'my-correlation');
    assert.equal(missing.body.error.innerError['request-id'], missing.headers.get('request-id'));
    assert.match(missing.body.error.innerError.date ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/);
    assert.equal(missing.headers.get('client-request-id'), 'my-correlation');
  });

  it('supports the $filter forms gatehouse uses, and advanced queries only with ConsistencyLevel', async () => {
    const f = async (filter: string) =>
      (await call<Page>('GET', `/users?$filter=${encodeURIComponent(filter)}&$select=id`)).body.value.map((u) => u.id);
    assert.deepEqual(await f(`id eq '${ada.id}'`), [ada.id]);
    assert.deepEqual(await f(`userPrincipalName eq '${String(bob.userPrincipalName).toUpperCase()}'`), [bob.id]);
    assert.deepEqual(await f("startswith(displayName,'ada')"), [ada.id]);
    assert.deepEqual(await f('accountEnabled eq false'), [bob.id]);
    const ne = await call<{ error: { code: string } }>(
      'GET',
      `/users?$filter=${encodeURIComponent('accountEnabled ne true')}`,
    );
    assert.equal(ne.status, 400);
    assert.equal(ne.body.error.code, 'Request_UnsupportedQuery');
    const search = await call<{ error: { code: string } }>('GET', '/users?$search="displayName:ada"');
    assert.equal(search.status, 400);
    assert.equal(search.body.error.code, 'Request_UnsupportedQuery');
    const eventual = await call<Page>('GET', '/users?$search="displayName:ada"&$count=true', {
      headers: { ConsistencyLevel: 'eventual' },
    });
    assert.equal(eventual.status, 200);
    assert.equal(eventual.body['@odata.count'], 1);
    assert.equal(eventual.body.value[0]?.id, ada.id);
    assert.equal((await call('GET', '/users/$count')).status, 400);
    const count = await call<number>('GET', '/users/$count', { headers: { ConsistencyLevel: 'eventual' } });
    assert.equal(count.body, 252);
  });

  it('lists groups, members with @odata.type, transitive members and the user cast', async () => {
    const groups = await call<Page>('GET', '/groups?$select=id,displayName');
    assert.deepEqual(groups.body.value.map((g) => g.displayName).sort(), ['Engineers', 'Platform']);
    const members = await call<Page>('GET', `/groups/${engineers.id}/members?$select=id`);
    assert.deepEqual(
      members.body.value.map((m) => m['@odata.type']),
      ['#microsoft.graph.group', '#microsoft.graph.user', '#microsoft.graph.device'],
    );
    const transitive = await call<Page>(
      'GET',
      `/groups/${engineers.id}/transitiveMembers/microsoft.graph.user?$select=id`,
    );
    assert.deepEqual(transitive.body.value.map((m) => m.id).sort(), [ada.id, bob.id].sort());
    assert.equal(transitive.headers.get('x-ms-resource-unit'), '4');
  });

  it('answers memberOf, transitiveMemberOf, checkMemberGroups (≤ 20 ids) and getMemberGroups', async () => {
    const direct = await call<Page>('GET', `/users/${ada.id}/memberOf`);
    assert.deepEqual(
      direct.body.value.map((g) => g.id),
      [platform.id],
    );
    const all = await call<Page>('GET', `/users/${ada.id}/transitiveMemberOf/microsoft.graph.group`);
    assert.deepEqual(all.body.value.map((g) => g.id).sort(), [engineers.id, platform.id].sort());
    const check = await call<{ value: string[] }>('POST', `/users/${ada.id}/checkMemberGroups`, {
      body: { groupIds: [engineers.id, crypto.randomUUID()] },
    });
    assert.deepEqual(check.body.value, [engineers.id]);
    const tooMany = await call('POST', `/users/${ada.id}/checkMemberGroups`, {
      body: { groupIds: Array.from({ length: 21 }, () => crypto.randomUUID()) },
    });
    assert.equal(tooMany.status, 400);
    const groups = await call<{ value: string[] }>('POST', `/users/${ada.id}/getMemberGroups`, {
      body: { securityEnabledOnly: true },
    });
    assert.deepEqual(groups.body.value.sort(), [engineers.id, platform.id].sort());
  });
});
