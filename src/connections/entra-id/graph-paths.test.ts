import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../../core/errors.js';
import { findWritePattern, normalizeGraphPath, parseGraphWritePaths } from './graph-paths.js';

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

test('paths are resolved before they are checked: nothing leaves the version root (issue 12 finding 10)', () => {
  for (const path of [
    '/../admin/x',
    '/%2e%2e/%2e%2e/x',
    '/%2E%2E/x',
    '/users/../../x',
    '/users/%2e%2e/%2e%2e/beta/x',
    '/users/.%2e/.%2e/x',
    '/users%2f..%2f..%2fx',
    '/users%5c..%5cx',
    '/users/%252e%252e/x',
    '/users\\..\\x',
    '/users/%00',
    '/%',
    '/x/../v1.0/users',
    '/.',
  ]) {
    assert.throws(() => normalizeGraphPath(path), isCode('ACTION_GRAPH_PATH_INVALID'), path);
  }
  for (const path of [
    'https://evil.example/v1.0/users',
    '//evil.example/users',
    '/v1.0/users',
    'users',
    '/users\r\nX: y',
  ]) {
    assert.throws(() => normalizeGraphPath(path), isCode('ACTION_INVALID_INPUT'), path);
  }
});

test('normal paths keep their meaning, queries untouched', () => {
  assert.deepEqual(normalizeGraphPath('/users?$top=5&$filter=a/b eq 1'), {
    path: '/users',
    segments: ['users'],
    query: '?$top=5&$filter=a/b eq 1',
  });
  assert.equal(normalizeGraphPath('/users/./a/../b').path, '/users/b');
  assert.equal(normalizeGraphPath("/users('x@y.z')/memberOf/$ref").path, "/users('x@y.z')/memberOf/$ref");
  assert.equal(normalizeGraphPath('/users/a%23EXT%23@t.onmicrosoft.com').path, '/users/a%23EXT%23@t.onmicrosoft.com');
});

test('GraphWritePaths: writes only where an admin allowed them (issue 12 finding 14)', () => {
  const patterns = parseGraphWritePaths(
    'POST /users/*/revokeSignInSessions; patch /users/*\nDELETE /groups/*/members/**',
  );
  const allows = (method: string, path: string) =>
    findWritePattern(patterns, method, normalizeGraphPath(path)) !== undefined;
  assert.equal(allows('POST', '/users/abc/revokeSignInSessions'), true);
  assert.equal(allows('POST', '/users/abc/REVOKESIGNINSESSIONS'), true);
  assert.equal(allows('PATCH', '/users/abc'), true);
  assert.equal(allows('PATCH', '/users/abc/manager'), false);
  assert.equal(allows('DELETE', '/users/abc'), false);
  assert.equal(allows('POST', '/users'), false);
  assert.equal(allows('DELETE', '/groups/g/members/u/$ref'), true);
  assert.equal(allows('DELETE', '/groups/g/members'), false);
  // The traversal that would have matched a pattern on the raw text is resolved first.
  assert.equal(allows('POST', '/users/abc/revokeSignInSessions/../../../applications/x'), false);
  assert.equal(allows('POST', '/users/abc/%2e%2e/%2e%2e/applications/revokeSignInSessions'), false);
  assert.equal(allows('PATCH', '/users/abc/../../applications'), false);
  assert.deepEqual(parseGraphWritePaths(''), []);
  for (const bad of ['GET /users', 'POST users', 'POST /users/../x', 'POST /**/x', 'POST /users?x=1']) {
    assert.throws(() => parseGraphWritePaths(bad), isCode('CONNECTION_INVALID_PARAMETER'), bad);
  }
});
