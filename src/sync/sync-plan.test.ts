import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DirectoryUser } from '../directory/directory-model.js';
import { DEFAULT_POLICY } from './ports.js';
import { checkDeletionGuard, planGroupPage, planUserPage } from './sync-plan.js';

function aUser(id: string, accountEnabled = true): DirectoryUser {
  return {
    id,
    userPrincipalName: `${id}@contoso.test`,
    displayName: id,
    mail: null,
    givenName: null,
    surname: null,
    jobTitle: null,
    department: null,
    accountEnabled,
  };
}

describe('sync page plans', () => {
  it('excludes disabled users by default and keeps them with include; removals are recorded', () => {
    const changes = [
      { kind: 'upsert' as const, user: aUser('on') },
      { kind: 'upsert' as const, user: aUser('off', false) },
      { kind: 'removed' as const, id: 'gone', reason: 'deleted' as const },
    ];
    const exclude = planUserPage(changes, DEFAULT_POLICY);
    assert.deepEqual(
      [exclude.upsertUsers.map((u) => u.id), exclude.excludeUserIds, exclude.removeUserIds],
      [['on'], ['off'], ['gone']],
    );
    const include = planUserPage(changes, { ...DEFAULT_POLICY, disabledUsers: 'include' });
    assert.deepEqual(
      include.upsertUsers.map((u) => [u.id, u.accountEnabled]),
      [
        ['on', true],
        ['off', false],
      ],
    );
  });

  it('merges a members@delta slice (adds and removes) without touching other members', () => {
    const plan = planGroupPage([
      {
        kind: 'upsert',
        id: 'g',
        members: [
          { id: 'u1', type: 'user', removed: false },
          { id: 'g2', type: 'group', removed: false },
          { id: 'u2', type: 'user', removed: true },
        ],
      },
      { kind: 'removed', id: 'old', reason: 'changed' },
    ]);
    assert.deepEqual(plan.upsertGroups, [], 'a membership-only change does not overwrite the group');
    assert.deepEqual(plan.addMemberships, [
      { groupId: 'g', memberId: 'u1', memberType: 'user' },
      { groupId: 'g', memberId: 'g2', memberType: 'group' },
    ]);
    assert.deepEqual(plan.removeMemberships, [{ groupId: 'g', memberId: 'u2' }]);
    assert.deepEqual(plan.removeGroupIds, ['old']);
  });
});

describe('accidental-deletion guard', () => {
  const pending = (users: number, groups = 0) => ({ users, groups, memberships: 0 });
  it('stops above 500 objects or 20% of the stored objects', () => {
    assert.equal(checkDeletionGuard(pending(500), 100_000, DEFAULT_POLICY).quarantined, false);
    assert.equal(checkDeletionGuard(pending(501), 100_000, DEFAULT_POLICY).quarantined, true);
    assert.equal(checkDeletionGuard(pending(20), 100, DEFAULT_POLICY).quarantined, false);
    assert.equal(checkDeletionGuard(pending(15, 6), 100, DEFAULT_POLICY).quarantined, true);
  });

  it('does not apply the percentage to a handful of removals in a tiny directory', () => {
    assert.equal(checkDeletionGuard(pending(2), 5, DEFAULT_POLICY).quarantined, false);
    assert.equal(checkDeletionGuard(pending(10), 20, DEFAULT_POLICY).quarantined, true);
  });

  it('follows a configured threshold', () => {
    const strict = { ...DEFAULT_POLICY, deleteThresholdCount: 3 };
    assert.equal(checkDeletionGuard(pending(4), 100_000, strict).quarantined, true);
  });
});
