import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../core/errors.js';
import { actionAvailability, validateInput } from './action-service.js';
import { fromCursor, toCursor } from './page-cursor.js';
import { describeSets, missingFrom, satisfies } from './permissions.js';
import { findAction } from './registry.js';

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    return error instanceof AppError ? error.code : 'not an AppError';
  }
  return undefined;
}

test('input validation lists every problem with its JSON pointer and names unknown properties', () => {
  const create = findAction('user.create')!;
  try {
    validateInput(create, { userPrincipalName: 'not-an-upn', shoeSize: 44 });
    assert.fail('expected ACTION_INVALID_INPUT');
  } catch (error) {
    assert.ok(error instanceof AppError);
    assert.equal(error.code, 'ACTION_INVALID_INPUT');
    const errors = error.details.errors as { path: string; message: string }[];
    assert.ok(
      errors.some((e) => e.message.includes('shoeSize')),
      JSON.stringify(errors),
    );
    assert.ok(
      errors.some((e) => e.path === '/userPrincipalName'),
      JSON.stringify(errors),
    );
    assert.ok(
      errors.some((e) => e.message.includes('displayName')),
      JSON.stringify(errors),
    );
    assert.equal(error.exitCode, 2);
  }
  const input = { userPrincipalName: 'a@contoso.com', displayName: 'A' };
  assert.equal(validateInput(create, input), input);
});

test('a membership change needs at least one member', () => {
  assert.equal(
    codeOf(() => validateInput(findAction('group.addMember')!, { group: 'g', members: [] })),
    'ACTION_INVALID_INPUT',
  );
});

test("cursors carry only the path of Graph's nextLink and refuse anything else", () => {
  const cursor = toCursor('https://graph.microsoft.com/v1.0/users?$top=2&$skiptoken=abc')!;
  assert.equal(fromCursor(cursor, '/users'), '/users?$top=2&$skiptoken=abc');
  assert.equal(
    codeOf(() => fromCursor(cursor, '/groups')),
    'ACTION_INVALID_INPUT',
  );
  const foreign = Buffer.from('https://evil.example/v1.0/users?x=1').toString('base64url');
  assert.equal(
    codeOf(() => fromCursor(foreign, '/users')),
    'ACTION_INVALID_INPUT',
  );
  assert.equal(toCursor(undefined), undefined);
});

test('permission sets: any one set suffices and the least privileged missing permission is named', () => {
  const sets = findAction('user.disable')!.permissions;
  assert.equal(satisfies(['User.ReadWrite.All'], sets), true);
  assert.equal(satisfies(['User.EnableDisableAccount.All'], sets), false);
  assert.deepEqual(missingFrom(['User.Read.All'], sets), ['User.EnableDisableAccount.All']);
  assert.equal(
    describeSets(findAction('group.addMember')!.permissions),
    'GroupMember.ReadWrite.All (or Group.ReadWrite.All, or Directory.ReadWrite.All)',
  );
});

test('availability tells which actions a set of granted roles allows and what is missing', () => {
  const byName = new Map(actionAvailability(['User.Read.All', 'GroupMember.Read.All']).map((a) => [a.name, a]));
  assert.equal(byName.get('user.get')?.ok, true);
  assert.equal(byName.get('membership.check')?.ok, true);
  assert.deepEqual(byName.get('user.create'), { name: 'user.create', ok: false, missing: ['User.ReadWrite.All'] });
  assert.deepEqual(byName.get('group.addMember')?.missing, ['GroupMember.ReadWrite.All']);
  assert.equal(byName.get('graph.request')?.ok, true);
});
