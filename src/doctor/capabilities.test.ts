import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { evaluateCapabilities, evaluateCapability, meetsRequirement } from './capabilities.js';

describe('capabilities', () => {
  it('the recommended read-only set allows syncing and live checks but no writes', () => {
    const status = evaluateCapabilities(['User.Read.All', 'GroupMember.Read.All']);
    assert.deepEqual(status.syncUsers, { ok: true, missing: [] });
    assert.deepEqual(status.syncGroups, { ok: true, missing: [] });
    assert.deepEqual(status.checkMembershipLive, { ok: true, missing: [] });
    assert.deepEqual(status.manageUsers, { ok: false, missing: ['User.ReadWrite.All'] });
    assert.deepEqual(status.manageGroupMembers, { ok: false, missing: ['GroupMember.ReadWrite.All'] });
  });

  it('names the least privileged permission that is missing', () => {
    assert.deepEqual(evaluateCapability('syncGroups', ['User.Read.All']), {
      ok: false,
      missing: ['GroupMember.Read.All'],
    });
    assert.deepEqual(evaluateCapability('checkMembershipLive', []), {
      ok: false,
      missing: ['User.Read.All', 'GroupMember.Read.All'],
    });
  });

  it('accepts higher permissions in place of the least privileged ones', () => {
    const status = evaluateCapabilities(['Directory.ReadWrite.All']);
    for (const name of Object.keys(status) as (keyof typeof status)[]) assert.equal(status[name].ok, true, name);
    assert.equal(evaluateCapability('syncGroups', ['Group.Read.All']).ok, true);
    assert.equal(evaluateCapability('manageGroupMembers', ['Group.ReadWrite.All']).ok, true);
  });

  it('does not treat delegated-looking or unrelated roles as grants', () => {
    assert.equal(evaluateCapability('syncUsers', ['User.Read', 'Mail.Read']).ok, false);
    assert.equal(meetsRequirement('enableDisableUsers', ['User.EnableDisableAccount.All']), true);
  });
});
