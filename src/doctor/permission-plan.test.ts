import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { CapabilityName } from './capabilities.js';
import { type PermissionPlanInput, planPermissions } from './permission-plan.js';

/**
 * Application permission ids transcribed from the facts file (../shared/reference/entra-graph-facts-2.md, G.1,
 * which cites microsoft-graph-docs-contrib permissions-ids.md): the planner's own table is never read back here.
 */
const FACTS_G1: Record<string, string> = {
  'User.Read.All': 'df021288-bdef-4463-88db-98f22de89214',
  'User.ReadWrite.All': '741f803b-c850-494e-b5df-cde7c675a1ca',
  'GroupMember.Read.All': '98830695-27a2-44f7-8c18-0c3ebc9698f6',
  'GroupMember.ReadWrite.All': 'dbaae8cf-10b5-4b86-a4a1-f871c94c6695',
};
const GRAPH = '00000003-0000-0000-c000-000000000000';

const base: PermissionPlanInput = {
  connection: 'hr',
  clientId: '11111111-2222-3333-4444-555555555555',
  tenantId: 'contoso.onmicrosoft.com',
  cloud: 'Global',
  authorityHost: 'https://login.microsoftonline.com',
  credentialKind: 'secret',
  grantedRoles: [],
};

/** Capability set → the least-privileged permissions product.md section 6 and facts E.2 name for it. */
const EXPECTED: [CapabilityName[], string[]][] = [
  [['syncUsers'], ['User.Read.All']],
  [['syncGroups'], ['GroupMember.Read.All']],
  [['checkMembershipLive'], ['User.Read.All', 'GroupMember.Read.All']],
  [['manageUsers'], ['User.ReadWrite.All']],
  [['manageGroupMembers'], ['GroupMember.ReadWrite.All']],
  [
    ['syncUsers', 'syncGroups'],
    ['User.Read.All', 'GroupMember.Read.All'],
  ],
  [['syncUsers', 'manageUsers'], ['User.ReadWrite.All']],
  [
    ['syncUsers', 'syncGroups', 'checkMembershipLive', 'manageUsers', 'manageGroupMembers'],
    ['User.ReadWrite.All', 'GroupMember.ReadWrite.All'],
  ],
];

describe('permission planner', () => {
  for (const [capabilities, values] of EXPECTED) {
    test(`${capabilities.join(' + ')} → ${values.join(' + ')} with the ids of facts G.1`, () => {
      const plan = planPermissions({ ...base, capabilities });
      assert.deepEqual(
        plan.permissions.map((p) => [p.value, p.id, p.type]),
        values.map((value) => [value, FACTS_G1[value], 'Role']),
      );
      assert.deepEqual(plan.requiredResourceAccess, [
        { resourceAppId: GRAPH, resourceAccess: values.map((v) => ({ id: FACTS_G1[v], type: 'Role' })) },
      ]);
      const add = plan.commands.azureCli.find((c) => c.startsWith('az ad app permission add'));
      assert.equal(
        add,
        `az ad app permission add --id ${base.clientId} --api ${GRAPH} --api-permissions ${values.map((v) => `${FACTS_G1[v]}=Role`).join(' ')}`,
      );
      for (const value of values) {
        assert.ok(
          plan.commands.powershell.some((line) => line.includes(`-AppRoleId ${FACTS_G1[value]}`)),
          `PowerShell assigns ${value}`,
        );
      }
    });
  }

  test('defaults to every capability, in table order, with the exact JSON keys of product.md 9.3', () => {
    const plan = planPermissions(base);
    assert.deepEqual(Object.keys(plan), [
      'connection',
      'clientId',
      'capabilities',
      'permissions',
      'requiredResourceAccess',
      'adminConsentUrl',
      'commands',
    ]);
    assert.deepEqual(plan.capabilities, [
      'syncUsers',
      'syncGroups',
      'checkMembershipLive',
      'manageUsers',
      'manageGroupMembers',
    ]);
    assert.deepEqual(Object.keys(plan.permissions[0] ?? {}), ['value', 'id', 'type', 'granted', 'neededBy']);
    assert.deepEqual(Object.keys(plan.commands), ['azureCli', 'powershell']);
    const userWrite = plan.permissions.find((p) => p.value === 'User.ReadWrite.All');
    assert.deepEqual(userWrite?.neededBy, ['syncUsers', 'checkMembershipLive', 'manageUsers']);
  });

  test('granted compares with the roles of the last token', () => {
    const plan = planPermissions({
      ...base,
      capabilities: ['syncUsers', 'syncGroups'],
      grantedRoles: ['User.Read.All', 'Mail.Read'],
    });
    assert.deepEqual(
      plan.permissions.map((p) => [p.value, p.granted]),
      [
        ['User.Read.All', true],
        ['GroupMember.Read.All', false],
      ],
    );
  });

  test('consent URL: v1 without a redirect URI, v2 with .default scope and the callback with one', () => {
    assert.equal(
      planPermissions(base).adminConsentUrl,
      `https://login.microsoftonline.com/contoso.onmicrosoft.com/adminconsent?client_id=${base.clientId}`,
    );
    const v2 = new URL(
      planPermissions({ ...base, consentRedirectUri: 'https://gh.example.com/consent/callback' }).adminConsentUrl ?? '',
    );
    assert.equal(
      v2.origin + v2.pathname,
      'https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0/adminconsent',
    );
    assert.equal(v2.searchParams.get('client_id'), base.clientId);
    assert.equal(v2.searchParams.get('scope'), 'https://graph.microsoft.com/.default');
    assert.equal(v2.searchParams.get('redirect_uri'), 'https://gh.example.com/consent/callback');
    const china = new URL(
      planPermissions({
        ...base,
        cloud: 'China',
        authorityHost: 'https://login.partner.microsoftonline.cn',
        consentRedirectUri: 'https://gh.example.cn/consent/callback',
      }).adminConsentUrl ?? '',
    );
    assert.equal(china.host, 'login.partner.microsoftonline.cn');
    assert.equal(china.searchParams.get('scope'), 'https://microsoftgraph.chinacloudapi.cn/.default');
  });

  test('a managed identity gets app role assignments and no consent URL', () => {
    const plan = planPermissions({ ...base, credentialKind: 'managedIdentity', capabilities: ['syncUsers'] });
    assert.equal(plan.adminConsentUrl, null);
    assert.ok(!plan.commands.azureCli.some((c) => c.includes('az ad app permission')));
    assert.ok(
      plan.commands.azureCli.some(
        (c) => c.includes('appRoleAssignedTo') && c.includes(FACTS_G1['User.Read.All'] as string),
      ),
    );
  });

  test('national clouds select the tools’ environment', () => {
    const plan = planPermissions({ ...base, cloud: 'USGov', authorityHost: 'https://login.microsoftonline.us' });
    assert.equal(plan.commands.azureCli[0], 'az cloud set --name AzureUSGovernment');
    assert.match(plan.commands.powershell[0] ?? '', /-Environment USGov$/);
  });
});
