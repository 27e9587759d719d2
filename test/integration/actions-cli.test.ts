import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

type ErrorJson = { error: { code: string; message: string; hint: string } };

describe('users, groups and action commands (CLI, in-process) against the emulator', () => {
  let fx: GatehouseFixture;
  let domain: string;
  before(async () => {
    fx = await startGatehouseFixture({ emulator: { seed: 'actions-cli' } });
    domain = fx.emulator.tenant.domain;
  });
  after(() => fx?.close());

  test('users create prints the user with the generated password once; the OS user is the audit actor', async () => {
    const upn = `cli.hire@${domain}`;
    const result = await fx.runCli(
      [
        'users',
        'create',
        fx.connectionName,
        '--upn',
        upn,
        '--display-name',
        'CLI Hire',
        '--property',
        'department=IT',
        '--json',
      ],
      { env: { USER: 'alice' } },
    );
    assert.equal(result.exitCode, 0, result.stderr);
    const user = result.json<{ id: string; userPrincipalName: string; department: string; password: string }>();
    assert.equal(user.userPrincipalName, upn);
    assert.equal(user.department, 'IT');
    assert.equal(user.password.length, 20);
    const [event] = await fx.gatehouse.audit.list({ action: 'user.create', limit: 1 });
    assert.equal(event?.actor, 'alice');
    assert.equal(event?.origin.channel, 'cli');

    // Reading a user moments after creating it 404s in a real tenant too; here the new user has replicated.
    await fx.emulator.settle();
    const text = await fx.runCli(['users', 'get', fx.connectionName, upn]);
    assert.equal(text.exitCode, 0);
    assert.match(text.stdout, new RegExp(`userPrincipalName: ${upn}`));
    assert.doesNotMatch(text.stdout, /password/i);
  });

  test('users get of an unknown user exits 1 with the error as JSON', async () => {
    const result = await fx.runCli(['users', 'get', fx.connectionName, `nobody@${domain}`, '--json']);
    assert.equal(result.exitCode, 1);
    assert.equal(result.json<ErrorJson>().error.code, 'GRAPH_NOT_FOUND');
    const text = await fx.runCli(['users', 'get', fx.connectionName, `nobody@${domain}`]);
    assert.match(text.stderr, /^error GRAPH_NOT_FOUND: User 'nobody@/m);
    assert.match(text.stderr, /^hint: /m);
  });

  test('users update, disable (twice), enable and delete', async () => {
    const seeded = fx.emulator.directory.createUser({ displayName: 'Cli Cycle' });
    // The realistic profile lags every write, harness seeding too: settle() = the seeded state has replicated.
    await fx.emulator.settle();
    const upn = String(seeded.userPrincipalName);
    const updated = await fx.runCli([
      'users',
      'update',
      fx.connectionName,
      upn,
      '--property',
      'jobTitle=Lead',
      '--json',
    ]);
    assert.equal(updated.exitCode, 0, updated.stdout);
    assert.equal(updated.json<{ jobTitle: string }>().jobTitle, 'Lead');
    const first = await fx.runCli(['users', 'disable', fx.connectionName, upn]);
    assert.equal(first.exitCode, 0);
    assert.match(first.stdout, /disabled\./);
    const second = await fx.runCli(['users', 'disable', fx.connectionName, upn, '--json']);
    assert.equal(second.exitCode, 0);
    assert.equal(second.json<{ changed: boolean }>().changed, false);
    assert.equal((await fx.runCli(['users', 'enable', fx.connectionName, upn])).exitCode, 0);
    assert.equal(fx.emulator.directory.get(seeded.id)?.accountEnabled, true);
    const deleted = await fx.runCli(['users', 'delete', fx.connectionName, upn]);
    assert.equal(deleted.exitCode, 0);
    assert.equal(fx.emulator.directory.get(seeded.id), undefined);
    const bad = await fx.runCli(['users', 'update', fx.connectionName, upn, '--property', 'accountEnabled=maybe']);
    assert.equal(bad.exitCode, 2);
  });

  test('groups add-member/remove-member print {group, changed, unchanged}; a failed member makes exit 1', async () => {
    const group = fx.emulator.directory.createGroup({ displayName: 'CLI Team' });
    const a = fx.emulator.directory.createUser({ displayName: 'Cli A' });
    const b = fx.emulator.directory.createUser({ displayName: 'Cli B' });
    await fx.emulator.settle();
    const add = await fx.runCli([
      'groups',
      'add-member',
      fx.connectionName,
      'CLI Team',
      a.id,
      String(b.userPrincipalName),
      '--json',
    ]);
    assert.equal(add.exitCode, 0, add.stdout);
    assert.deepEqual(add.json(), { group: group.id, changed: [a.id, b.id], unchanged: [], failed: [] });
    const again = await fx.runCli(['groups', 'add-member', fx.connectionName, group.id, a.id]);
    assert.equal(again.exitCode, 0);
    assert.match(again.stdout, /already members: 1/);
    const ghost = await fx.runCli(['groups', 'add-member', fx.connectionName, group.id, `ghost@${domain}`, '--json']);
    assert.equal(ghost.exitCode, 1);
    // Graph lists the new memberships once they have replicated.
    await fx.emulator.settle();
    const members = await fx.runCli(['groups', 'members', fx.connectionName, 'CLI Team', '--json']);
    assert.deepEqual(
      members
        .json<{ members: { id: string }[] }>()
        .members.map((m) => m.id)
        .sort(),
      [a.id, b.id].sort(),
    );
    const remove = await fx.runCli(['groups', 'remove-member', fx.connectionName, group.id, a.id, '--json']);
    assert.deepEqual(remove.json(), { group: group.id, changed: [a.id], unchanged: [], failed: [] });
    const list = await fx.runCli(['groups', 'list', fx.connectionName, '--search', 'CLI', '--json']);
    assert.deepEqual(
      list.json<{ groups: { id: string }[] }>().groups.map((g) => g.id),
      [group.id],
    );
  });

  test('action run takes --input as JSON, @file or stdin; bad input exits 2', async () => {
    const seeded = fx.emulator.directory.createUser({ displayName: 'Action Runner' });
    await fx.emulator.settle();
    const inline = await fx.runCli([
      'action',
      'run',
      fx.connectionName,
      'user.get',
      '--input',
      JSON.stringify({ user: seeded.id }),
      '--json',
    ]);
    assert.equal(inline.exitCode, 0, inline.stdout);
    assert.equal(inline.json<{ id: string }>().id, seeded.id);
    const file = join(fx.dataDir, 'input.json');
    writeFileSync(file, JSON.stringify({ user: seeded.id, transitive: true }));
    const fromFile = await fx.runCli([
      'action',
      'run',
      fx.connectionName,
      'user.groups',
      '--input',
      `@${file}`,
      '--json',
    ]);
    assert.equal(fromFile.exitCode, 0, fromFile.stdout);
    assert.deepEqual(fromFile.json<{ groups: unknown[] }>().groups, []);
    const fromStdin = await fx.runCli(['action', 'run', fx.connectionName, 'user.get', '--input', '-', '--json'], {
      stdin: JSON.stringify({ user: String(seeded.userPrincipalName) }),
    });
    assert.equal(fromStdin.json<{ id: string }>().id, seeded.id);

    const notJson = await fx.runCli(['action', 'run', fx.connectionName, 'user.get', '--input', '{user:', '--json']);
    assert.equal(notJson.exitCode, 2);
    assert.equal(notJson.json<ErrorJson>().error.code, 'ACTION_INVALID_INPUT');
    const unknown = await fx.runCli(['action', 'run', fx.connectionName, 'user.fly', '--json']);
    assert.equal(unknown.exitCode, 2);
    assert.equal(unknown.json<ErrorJson>().error.code, 'ACTION_UNKNOWN');
    const noConnection = await fx.runCli(['action', 'run', 'nope', 'user.get', '--input', '{"user":"x"}', '--json']);
    assert.equal(noConnection.json<ErrorJson>().error.code, 'CONNECTION_NOT_FOUND');
  });

  test('action list shows every action with its permissions', async () => {
    const result = await fx.runCli(['action', 'list', '--json']);
    const actions = result.json<{ name: string; write: boolean; permissions: string[][] }[]>();
    assert.equal(actions.length, 16);
    assert.ok(actions.some((a) => a.name === 'user.resetPassword' && a.write));
    const add = actions.find((a) => a.name === 'group.addMember');
    assert.equal(add?.write, true);
    assert.deepEqual(add?.permissions[0], ['GroupMember.ReadWrite.All']);
    const text = await fx.runCli(['action', 'list']);
    assert.match(text.stdout, /user\.disable\s+write\s+User\.EnableDisableAccount\.All \+ User\.Read\.All/);
  });
});
