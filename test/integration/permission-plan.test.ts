import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { DoctorReport } from '../../src/doctor/doctor-report.js';
import type { PermissionPlan } from '../../src/doctor/permission-plan.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

/** Transcribed from facts G.1 (../shared/reference/entra-graph-facts-2.md), not read from gatehouse's table. */
const USER_READ_ALL = 'df021288-bdef-4463-88db-98f22de89214';
const GROUP_MEMBER_READ_ALL = '98830695-27a2-44f7-8c18-0c3ebc9698f6';

let fx: GatehouseFixture;

before(async () => {
  fx = await startGatehouseFixture({ emulator: { seed: 'permission-plan', profile: 'exact' } });
});
after(() => fx.close());

describe('connections permissions (the planner) against the emulator', () => {
  it('says what the last test token lacks, with the Graph ids, and the doctor carries the same plan', async () => {
    const app = fx.emulator.registerApp({ applicationPermissions: ['User.Read.All'] });
    await fx.createConnectionFor('only-users', app);
    const before = await fx.runCli([
      'connections',
      'permissions',
      'only-users',
      '--capability',
      'syncUsers',
      'syncGroups',
      '--json',
    ]);
    assert.equal(before.exitCode, 0, before.stderr);
    const untested = before.json<PermissionPlan>();
    assert.deepEqual(
      untested.permissions.map((p) => [p.value, p.id, p.granted]),
      [
        ['User.Read.All', USER_READ_ALL, false],
        ['GroupMember.Read.All', GROUP_MEMBER_READ_ALL, false],
      ],
      'never tested: nothing is known to be granted',
    );
    const tested = await fx.runCli(['connections', 'test', 'only-users', '--require', 'syncGroups', '--json']);
    const report = tested.json<DoctorReport>();
    const permissions = report.checks.find((c) => c.id === 'permissions');
    assert.equal(permissions?.status, 'fail');
    const plan = permissions?.details?.plan as PermissionPlan;
    assert.deepEqual(plan.capabilities, ['syncGroups']);
    assert.deepEqual(
      plan.permissions.map((p) => [p.value, p.id, p.granted]),
      [['GroupMember.Read.All', GROUP_MEMBER_READ_ALL, false]],
    );
    assert.equal(
      plan.adminConsentUrl,
      `${fx.emulator.url}/${fx.emulator.tenant.id}/adminconsent?client_id=${app.clientId}`,
    );
    const after = (
      await fx.runCli(['connections', 'permissions', 'only-users', '--capability', 'syncUsers,syncGroups', '--json'])
    ).json<PermissionPlan>();
    assert.deepEqual(
      after.permissions.map((p) => [p.value, p.granted]),
      [
        ['User.Read.All', true],
        ['GroupMember.Read.All', false],
      ],
      'granted comes from the last test',
    );
  });

  it('prints the plan for people, and a public URL makes the consent URL return to /consent/callback', async () => {
    const text = await fx.runCli([
      'connections',
      'permissions',
      fx.connectionName,
      '--public-url',
      'https://gh.example.com/',
    ]);
    assert.equal(text.exitCode, 0, text.stderr);
    assert.match(text.stdout, /User\.ReadWrite\.All {2}741f803b-c850-494e-b5df-cde7c675a1ca/);
    assert.match(text.stdout, /az ad app permission add --id /);
    assert.match(text.stdout, /New-MgServicePrincipalAppRoleAssignment/);
    const consent = /(\S+\/v2\.0\/adminconsent\S+)/.exec(text.stdout)?.[1] ?? '';
    assert.equal(new URL(consent).searchParams.get('redirect_uri'), 'https://gh.example.com/consent/callback');
  });

  it('refuses an unknown capability and a plain-http public URL with a hint', async () => {
    const unknown = await fx.runCli([
      'connections',
      'permissions',
      fx.connectionName,
      '--capability',
      'syncAll',
      '--json',
    ]);
    assert.equal(unknown.exitCode, 2);
    assert.match(unknown.json<{ error: { hint: string } }>().error.hint, /syncUsers/);
    const http = await fx.runCli([
      'connections',
      'permissions',
      fx.connectionName,
      '--public-url',
      'http://gh.example.com',
      '--json',
    ]);
    assert.equal(http.exitCode, 2);
    assert.equal(http.json<{ error: { code: string } }>().error.code, 'USAGE_ERROR');
  });
});
