import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { MembershipAnswer } from '../../src/directory/directory-model.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

describe('membership check (local and live) through the CLI', () => {
  let fx: GatehouseFixture;
  const names = ['Level 1', 'Level 2', 'Level 3', 'Level 4'];
  let upn: string;
  let outsider: string;
  before(async () => {
    fx = await startGatehouseFixture({ emulator: { users: 50, groups: 5, seed: 'membership' } });
    const dir = fx.emulator.directory;
    const user = dir.createUser({ displayName: 'Nested Nora' });
    const other = dir.createUser({ displayName: 'Outside Otto' });
    upn = String(user.userPrincipalName);
    outsider = String(other.userPrincipalName);
    const groups = names.map((displayName) => dir.createGroup({ displayName }));
    dir.addMember(String(groups[0]?.id), user.id);
    for (let i = 1; i < groups.length; i++) dir.addMember(String(groups[i]?.id), String(groups[i - 1]?.id));
    dir.addMember(String(groups[3]?.id), other.id);
    dir.removeMember(String(groups[3]?.id), other.id);
    // The realistic emulator lags creates and membership changes by up to 3 s; the tenant was set up before the
    // sync (and the live checks), i.e. it has replicated by then: settle().
    await fx.emulator.settle();
    const sync = await fx.runCli(['sync', 'run', fx.connectionName, '--json']);
    assert.equal(sync.exitCode, 0, sync.stdout + sync.stderr);
    assert.equal(sync.json<{ status: string }>().status, 'succeeded');
  });
  after(() => fx.close());

  async function check(user: string, group: string, live: boolean): Promise<MembershipAnswer> {
    const args = ['membership', 'check', fx.connectionName, '--user', user, '--group', group, '--json'];
    const result = await fx.runCli(live ? [...args, '--live'] : args);
    assert.equal(result.exitCode, 0, result.stdout + result.stderr);
    return result.json<MembershipAnswer>();
  }

  for (const live of [false, true]) {
    const source = live ? 'live' : 'directory';
    it(`finds a membership 4 levels deep with its path (${source})`, async () => {
      const answer = await check(upn, 'Level 4', live);
      assert.equal(answer.member, true);
      assert.equal(answer.source, source);
      assert.deepEqual(
        answer.path.map((s) => s.displayName),
        names,
      );
      if (!live) assert.match(String(answer.syncedAt), /^\d{4}-\d\d-\d\dT/);
    });

    it(`answers a direct membership with a one-step path (${source})`, async () => {
      const answer = await check(upn, 'Level 1', live);
      assert.deepEqual(
        { member: answer.member, path: answer.path.map((s) => s.displayName) },
        { member: true, path: ['Level 1'] },
      );
    });

    it(`says no, with an empty path, for a non-member (${source})`, async () => {
      const answer = await check(outsider, 'Level 4', live);
      assert.deepEqual({ member: answer.member, path: answer.path }, { member: false, path: [] });
    });
  }

  it('names unknown users and groups with their error codes', async () => {
    const noUser = await fx.runCli([
      'membership',
      'check',
      fx.connectionName,
      '--user',
      'ghost@x.test',
      '--group',
      'Level 1',
      '--json',
    ]);
    assert.equal(noUser.exitCode, 1);
    assert.equal(noUser.json<{ error: { code: string } }>().error.code, 'DIRECTORY_USER_NOT_FOUND');
    const noGroup = await fx.runCli([
      'membership',
      'check',
      fx.connectionName,
      '--user',
      upn,
      '--group',
      'Nope',
      '--json',
    ]);
    assert.equal(noGroup.json<{ error: { code: string } }>().error.code, 'DIRECTORY_GROUP_NOT_FOUND');
  });

  it('answers from the new state right after a membership write, without a sync', async () => {
    const added = await fx.runCli(['groups', 'add-member', fx.connectionName, 'Level 2', outsider, '--json']);
    assert.equal(added.exitCode, 0, added.stdout + added.stderr);
    const answer = await check(outsider, 'Level 4', false);
    assert.deepEqual(
      answer.path.map((s) => s.displayName),
      ['Level 2', 'Level 3', 'Level 4'],
    );
  });

  it('lists direct and transitive members from the local directory', async () => {
    const direct = await fx.runCli(['directory', 'members', fx.connectionName, 'Level 4', '--json']);
    assert.deepEqual(
      direct.json<{ members: { displayName: string }[] }>().members.map((m) => m.displayName),
      ['Level 3'],
    );
    const all = await fx.runCli(['directory', 'members', fx.connectionName, 'Level 4', '--transitive', '--json']);
    const ids = all.json<{ members: { type: string; userPrincipalName?: string }[] }>().members;
    assert.ok(ids.some((m) => m.userPrincipalName === upn));
    assert.equal(ids.filter((m) => m.type === 'group').length, 3);
  });
});
