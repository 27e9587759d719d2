import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createManualClock } from '../../src/core/clock.js';
import { type Emulator, type EmulatorOptions, startEmulator } from '../../src/emulator/index.js';
import { defaultCaller, type GraphCall, walkDelta } from './graph-test-client.js';

// Issue 11: the emulator as hard as Microsoft's service, one behaviour at a time (src/emulator/README.md "Realism").
const started: Emulator[] = [];
after(async () => {
  for (const e of started) await e.stop();
});

/** Single behaviours are turned on over `exact`, so each test sees only the one it names (or `profile` says so). */
async function start(options: EmulatorOptions): Promise<{ emulator: Emulator; call: GraphCall }> {
  const emulator = await startEmulator({ profile: 'exact', ...options });
  started.push(emulator);
  return { emulator, call: await defaultCaller(emulator) };
}

const ref = (emulator: Emulator, id: string) => ({ '@odata.id': `${emulator.url}/v1.0/directoryObjects/${id}` });
type Member = { id: string; '@removed'?: unknown };
const membersOf = (items: Record<string, unknown>[], groupId: string) =>
  items.filter((i) => i.id === groupId).flatMap((i) => (i['members@delta'] as Member[] | undefined) ?? []);

describe('emulator realism: profiles', () => {
  it('realistic is the default of startEmulator(); exact turns every behaviour off', async () => {
    const byDefault = await startEmulator({ seed: 'default-profile' });
    started.push(byDefault);
    assert.deepEqual(byDefault.realism.replicationLagMs, { min: 0, max: 3000 });
    assert.equal(byDefault.realism.strictInput, true);
    const exact = await start({});
    assert.equal(exact.emulator.realism.replicationLagMs.max, 0);
    assert.equal(exact.emulator.realism.shuffleBatchResponses, false);
    const realistic = await start({ profile: 'realistic' });
    assert.deepEqual(realistic.emulator.realism.replicationLagMs, { min: 0, max: 3000 });
    assert.equal(realistic.emulator.realism.softDeleteKeepsMemberships, true);
    assert.equal(realistic.emulator.realism.strictInput, true);
    const one = await start({ realism: { shuffleBatchResponses: true } });
    assert.equal(one.emulator.realism.shuffleBatchResponses, true);
    assert.equal(one.emulator.realism.replicationLagMs.max, 0);
  });
});

describe('emulator realism: replication lag', () => {
  it('a new user 404s on GET and on members/$ref until its write is visible; the write itself succeeds', async () => {
    const clock = createManualClock();
    const { emulator, call } = await start({ clock, realism: { replicationLagMs: { min: 3000, max: 3000 } } });
    const group = emulator.directory.createGroup({ displayName: 'Lagged' });
    clock.advance(3000);
    const created = await call<{ id: string }>('POST', '/users', {
      body: {
        accountEnabled: true,
        displayName: 'New Hire',
        mailNickname: 'newhire',
        userPrincipalName: `newhire@${emulator.tenant.domain}`,
        passwordProfile: { password: 'Str0ng!Passw0rd' },
      },
    });
    assert.equal(created.status, 201);
    const id = created.body.id;
    assert.equal((await call('GET', `/users/${id}`)).status, 404);
    assert.equal((await call('GET', `/users/newhire@${emulator.tenant.domain}`)).status, 404);
    const add = await call<{ error: { code: string } }>('POST', `/groups/${group.id}/members/$ref`, {
      body: ref(emulator, id),
    });
    assert.equal(add.status, 404);
    assert.equal(add.body.error.code, 'Request_ResourceNotFound');
    const list = await call<{ value: { id: string }[] }>('GET', '/users');
    assert.ok(!list.body.value.some((u) => u.id === id), 'lists do not show it yet');
    clock.advance(3000);
    assert.equal((await call('GET', `/users/${id}`)).status, 200);
    assert.equal((await call('POST', `/groups/${group.id}/members/$ref`, { body: ref(emulator, id) })).status, 204);
    // The membership itself replicates too: memberOf, checkMemberGroups and members lag behind the write.
    const before = await call<{ value: string[] }>('POST', `/users/${id}/checkMemberGroups`, {
      body: { groupIds: [group.id] },
    });
    assert.deepEqual(before.body.value, []);
    const memberOf = await call<{ value: unknown[] }>('GET', `/users/${id}/memberOf`);
    assert.equal(memberOf.body.value.length, 0);
    clock.advance(3000);
    const afterLag = await call<{ value: string[] }>('POST', `/users/${id}/checkMemberGroups`, {
      body: { groupIds: [group.id] },
    });
    assert.deepEqual(afterLag.body.value, [group.id]);
  });

  it('delta rounds end before the first change still replicating; settle() makes everything visible', async () => {
    const clock = createManualClock();
    const { emulator, call } = await start({ clock, realism: { replicationLagMs: { min: 1000, max: 2000 } } });
    const first = await walkDelta(call, '/users/delta?$select=displayName');
    emulator.directory.createUser({ displayName: 'Late Arrival' });
    const hidden = await walkDelta(call, first.deltaLink);
    assert.equal(hidden.items.length, 0);
    await emulator.settle();
    const shown = await walkDelta(call, hidden.deltaLink);
    assert.deepEqual(
      shown.items.map((u) => u.displayName),
      ['Late Arrival'],
    );
  });

  it('is seeded: the same seed draws the same delays', async () => {
    const delays = async () => {
      const clock = createManualClock();
      const { emulator, call } = await start({ clock, seed: 'lag-seed', profile: 'realistic' });
      const users = [1, 2, 3, 4, 5, 6].map((n) => emulator.directory.createUser({ displayName: `U${n}` }));
      const visibleAt: number[] = [];
      for (let t = 0; t <= 3000; t += 250) {
        for (const [i, u] of users.entries()) {
          if (visibleAt[i] === undefined && (await call('GET', `/users/${u.id}`)).status === 200) visibleAt[i] = t;
        }
        clock.advance(250);
      }
      return visibleAt;
    };
    const a = await delays();
    assert.deepEqual(await delays(), a);
    assert.ok(new Set(a).size > 1, `delays differ per write: ${a}`);
  });
});

describe('emulator realism: soft delete (concepts/delta-query-groups.md)', () => {
  it('keeps memberships, sends no groups-delta entry for soft delete or restore, and removes at permanent delete', async () => {
    const { emulator, call } = await start({ realism: { softDeleteKeepsMemberships: true } });
    const user = emulator.directory.createUser({ displayName: 'Leaver' });
    const group = emulator.directory.createGroup({ displayName: 'Team' });
    emulator.directory.addMember(group.id, user.id);
    const groups0 = await walkDelta(call, '/groups/delta?$select=displayName,members');
    const users0 = await walkDelta(call, '/users/delta?$select=displayName');

    emulator.directory.delete(user.id);
    assert.ok(emulator.directory.memberIds(group.id).includes(user.id), 'the membership is kept');
    const users1 = await walkDelta(call, users0.deltaLink);
    assert.deepEqual(users1.items, [{ id: user.id, '@removed': { reason: 'changed' } }]);
    const groups1 = await walkDelta(call, groups0.deltaLink);
    assert.deepEqual(groups1.items, [], 'no members@delta removal for a soft delete');
    const members = await call<{ value: { id: string }[] }>('GET', `/groups/${group.id}/members`);
    assert.deepEqual(members.body.value, [], 'a soft-deleted user is not listed as a member');

    emulator.directory.restore(user.id);
    const users2 = await walkDelta(call, users1.deltaLink);
    assert.deepEqual(
      users2.items.map((u) => u.id),
      [user.id],
    );
    const groups2 = await walkDelta(call, groups1.deltaLink);
    assert.deepEqual(groups2.items, [], 'a restore brings memberships back without a groups-delta entry');
    const back = await call<{ value: { id: string }[] }>('GET', `/groups/${group.id}/members`);
    assert.deepEqual(
      back.body.value.map((m) => m.id),
      [user.id],
    );

    emulator.directory.delete(user.id);
    emulator.directory.delete(user.id, { permanently: true });
    const groups3 = await walkDelta(call, groups2.deltaLink);
    assert.deepEqual(membersOf(groups3.items, group.id), [
      { '@odata.type': '#microsoft.graph.user', id: user.id, '@removed': { reason: 'deleted' } },
    ]);
  });

  it('permanentDeleteInMembersDelta: false — a permanent delete never shows in members@delta', async () => {
    const { emulator, call } = await start({
      realism: { softDeleteKeepsMemberships: true, permanentDeleteInMembersDelta: false },
    });
    const user = emulator.directory.createUser({ displayName: 'Gone' });
    const group = emulator.directory.createGroup({ displayName: 'Quirk' });
    emulator.directory.addMember(group.id, user.id);
    const groups0 = await walkDelta(call, '/groups/delta?$select=displayName,members');
    emulator.directory.delete(user.id);
    emulator.directory.delete(user.id, { permanently: true });
    assert.deepEqual(emulator.directory.memberIds(group.id), []);
    const groups1 = await walkDelta(call, groups0.deltaLink);
    assert.deepEqual(groups1.items, []);
  });
});

describe('emulator realism: expired delta tokens', () => {
  it('answers 400 syncStateNotFound, or 410 resyncRequired with a Location', async () => {
    const { emulator, call } = await start({ realism: { expiredDeltaToken: 'syncStateNotFound' } });
    const round = await walkDelta(call, '/users/delta');
    emulator.expireDeltaTokens();
    const expired = await call<{ error: { code: string; message: string } }>('GET', round.deltaLink);
    assert.equal(expired.status, 400);
    assert.equal(expired.body.error.code, 'syncStateNotFound');
    assert.equal(expired.body.error.message, 'The sync state generation is not found. Please restart the sync.');
    const again = await walkDelta(call, '/users/delta');
    emulator.expireDeltaTokens({ as: 'resyncRequired' });
    const gone = await call<{ error: { code: string } }>('GET', again.deltaLink);
    assert.equal(gone.status, 410);
    assert.equal(gone.body.error.code, 'resyncRequired');
    assert.match(gone.headers.get('location') ?? '', /\/users\/delta/);
  });
});

describe('emulator realism: delta disorder', () => {
  it('interleaves a split group with other objects; the round still carries every link once', async () => {
    const { emulator, call } = await start({
      seed: 'interleave',
      delta: { memberCap: 5, objectCap: 4, repeatEveryNthPage: 0, emptyPageEveryNthPage: 0 },
      realism: { interleaveSplitGroups: true },
    });
    const users = Array.from({ length: 12 }, (_, n) => emulator.directory.createUser({ displayName: `M${n}` }));
    const big = emulator.directory.createGroup({ displayName: 'Big' });
    for (const u of users) emulator.directory.addMember(big.id, u.id);
    const small = [1, 2, 3, 4, 5, 6].map((n) => emulator.directory.createGroup({ displayName: `S${n}` }));
    const round = await walkDelta(call, '/groups/delta?$select=displayName,members');
    const order = round.items.map((i) => i.id);
    const bigAt = order.flatMap((id, i) => (id === big.id ? [i] : []));
    assert.ok(bigAt.length >= 3, 'split over pages');
    assert.ok(
      bigAt.some((at, k) => k > 0 && at - (bigAt[k - 1] as number) > 1),
      `other objects between the parts: ${bigAt}`,
    );
    assert.deepEqual(
      membersOf(round.items, big.id)
        .map((m) => m.id)
        .sort(),
      users.map((u) => u.id).sort(),
    );
    for (const s of small) assert.ok(order.includes(s.id));
  });

  it('replays changes of the previous round in the next one', async () => {
    const { emulator, call } = await start({ realism: { crossRoundReplayRate: 1 } });
    const r0 = await walkDelta(call, '/users/delta?$select=displayName');
    const user = emulator.directory.createUser({ displayName: 'Replayed' });
    const r1 = await walkDelta(call, r0.deltaLink);
    assert.deepEqual(
      r1.items.map((u) => u.id),
      [user.id],
    );
    const r2 = await walkDelta(call, r1.deltaLink);
    assert.deepEqual(
      r2.items.map((u) => u.id),
      [user.id],
      'the unchanged user comes again',
    );
  });

  it('reports @removed in a first round, omits never-set properties and sends members@delta without $select', async () => {
    const { emulator, call } = await start({
      realism: { removedInFirstRound: true, omitUnsetProperties: true, membersDeltaByDefault: true },
    });
    const gone = emulator.directory.createUser({ displayName: 'Deleted Earlier' });
    const kept = emulator.directory.createUser({ displayName: 'Kept' });
    emulator.directory.delete(gone.id);
    const group = emulator.directory.createGroup({ displayName: 'Default' });
    emulator.directory.addMember(group.id, kept.id);
    const users = await walkDelta(call, '/users/delta');
    assert.deepEqual(
      users.items.find((u) => u.id === gone.id),
      { id: gone.id, '@removed': { reason: 'changed' } },
    );
    const keptItem = users.items.find((u) => u.id === kept.id) as Record<string, unknown>;
    assert.equal('jobTitle' in keptItem, false, 'never-set properties are left out');
    assert.equal(keptItem.displayName, 'Kept');
    const groups = await walkDelta(call, '/groups/delta');
    assert.deepEqual(
      membersOf(groups.items, group.id).map((m) => m.id),
      [kept.id],
    );
  });
});

describe('emulator realism: $batch, throttling and tokens', () => {
  it('answers $batch items in a seeded random order, paired by id', async () => {
    const { emulator, call } = await start({ realism: { shuffleBatchResponses: true } });
    const users = Array.from({ length: 8 }, (_, n) => emulator.directory.createUser({ displayName: `B${n}` }));
    const requests = users.map((u, n) => ({ id: String(n + 1), method: 'GET', url: `/users/${u.id}` }));
    const reply = await call<{ responses: { id: string; body: { id: string } }[] }>('POST', '/$batch', {
      body: { requests },
    });
    const ids = reply.body.responses.map((r) => r.id);
    assert.notDeepEqual(
      ids,
      requests.map((r) => r.id),
      'not in request order',
    );
    for (const r of reply.body.responses) assert.equal(r.body.id, users[Number(r.id) - 1]?.id);
  });

  it('answers random 429s (batch items too) with fractional, whole or no Retry-After', async () => {
    const { emulator, call } = await start({ realism: { randomThrottleRate: 1, retryAfterStyle: 'varied' } });
    const seen = new Set<string>();
    for (let i = 0; i < 12; i++) {
      const reply = await call('GET', '/users');
      assert.equal(reply.status, 429);
      const value = reply.headers.get('retry-after');
      seen.add(value === null ? 'absent' : value.includes('.') ? 'fractional' : 'whole');
    }
    assert.deepEqual([...seen].sort(), ['absent', 'fractional', 'whole']);
    emulator.setRealism({ randomThrottleRate: 0 });
    assert.equal((await call('GET', '/users')).status, 200);
  });

  it('issues v1.0 app tokens with appid/appidacr (no azp) and a lifetime of 60–90 minutes', async () => {
    const { emulator } = await start({ profile: 'realistic', realism: { randomThrottleRate: 0 } });
    const lifetimes = new Set<number>();
    for (let i = 0; i < 5; i++) {
      const res = await fetch(`${emulator.url}/${emulator.tenant.id}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({
          client_id: emulator.connection.ClientID,
          client_secret: emulator.connection.ClientSecret,
          scope: 'https://graph.microsoft.com/.default',
          grant_type: 'client_credentials',
        }),
      });
      const body = (await res.json()) as { access_token: string; expires_in: number };
      const claims = JSON.parse(Buffer.from(body.access_token.split('.')[1] as string, 'base64url').toString());
      assert.equal(claims.appid, emulator.connection.ClientID);
      assert.equal(claims.appidacr, '1');
      assert.equal('azp' in claims, false);
      assert.equal('azpacr' in claims, false);
      assert.ok(body.expires_in >= 3600 && body.expires_in <= 5400, String(body.expires_in));
      assert.equal(claims.exp - claims.iat, body.expires_in);
      lifetimes.add(body.expires_in);
    }
    assert.ok(lifetimes.size > 1, 'randomised per token');
  });
});

describe('emulator realism: strict input', () => {
  it('refuses unsupported $filter properties, non-GUID group ids, bad UPN/mailNickname characters; $expand=members ≤ 20', async () => {
    const { emulator, call } = await start({ realism: { strictInput: true } });
    const big = emulator.directory.createGroup({ displayName: 'Expand Me' });
    for (let n = 0; n < 25; n++)
      emulator.directory.addMember(big.id, emulator.directory.createUser({ displayName: `E${n}` }).id);

    const badFilter = await call<{ error: { code: string } }>(
      'GET',
      `/users?$filter=${encodeURIComponent("favouriteColour eq 'blue'")}`,
    );
    assert.equal(badFilter.status, 400);
    assert.equal(badFilter.body.error.code, 'Request_UnsupportedQuery');
    const okFilter = await call<{ value: unknown[] }>(
      'GET',
      `/users?$filter=${encodeURIComponent("startswith(displayName,'E1')")}`,
    );
    assert.equal(okFilter.status, 200);
    assert.ok(okFilter.body.value.length > 0);

    const notGuid = await call<{ error: { code: string; message: string } }>('GET', '/groups/Expand%20Me');
    assert.equal(notGuid.status, 400);
    assert.match(notGuid.body.error.message, /Invalid object identifier/);

    const accented = await call<{ error: { details: { target: string }[] } }>('POST', '/users', {
      body: {
        accountEnabled: true,
        displayName: 'José',
        mailNickname: 'jose',
        userPrincipalName: `josé@${emulator.tenant.domain}`,
        passwordProfile: { password: 'Str0ng!Passw0rd' },
      },
    });
    assert.equal(accented.status, 400);
    assert.equal(accented.body.error.details[0]?.target, 'userPrincipalName');
    const spaced = await call('POST', '/users', {
      body: {
        accountEnabled: true,
        displayName: 'Jo Se',
        mailNickname: 'jo se',
        userPrincipalName: `jose@${emulator.tenant.domain}`,
        passwordProfile: { password: 'Str0ng!Passw0rd' },
      },
    });
    assert.equal(spaced.status, 400);

    const expanded = await call<{ members: unknown[] }>('GET', `/groups/${big.id}?$expand=members`);
    assert.equal(expanded.status, 200);
    assert.equal(expanded.body.members.length, 20);

    const lenient = await start({});
    assert.equal(
      (await lenient.call('GET', `/users?$filter=${encodeURIComponent("favouriteColour eq 'blue'")}`)).status,
      200,
    );
  });
});
