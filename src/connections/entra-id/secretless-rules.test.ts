import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../core/errors.js';
import { assertOneCredential, credentialKindOf } from './credential-kind.js';
import { validateClientAssertionFile, validateManagedIdentity } from './secretless-rules.js';

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : 'NOT_AN_APP_ERROR';
  }
}

describe('ClientAssertionFile and ManagedIdentity', () => {
  test('an absolute path or env:NAME is kept as given', () => {
    for (const value of [
      '/var/run/secrets/azure/wi/token/azure-identity-token',
      'C:\\tokens\\gh.jwt',
      'env:AZURE_FEDERATED_TOKEN_FILE',
    ]) {
      assert.equal(validateClientAssertionFile(value).value, value);
    }
  });
  const refused: [string, string][] = [
    ['tokens/azure-identity-token', 'relative'],
    ['https://example.com/token', 'a URL'],
    ['/var/run/secrets/', 'a directory'],
    ['eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln', 'a token pasted instead of a path'],
    ['env:1BAD', 'a bad variable name'],
  ];
  for (const [value, why] of refused) {
    test(`refuses ${why}`, () =>
      assert.equal(
        codeOf(() => validateClientAssertionFile(value)),
        'CONNECTION_INVALID_PARAMETER',
      ));
  }
  test('a placeholder path is a placeholder', () =>
    assert.equal(
      codeOf(() => validateClientAssertionFile('<path to token>')),
      'CONNECTION_PLACEHOLDER_VALUE',
    ));
  test('ManagedIdentity is system or user, any case', () => {
    assert.equal(validateManagedIdentity('System').value, 'system');
    assert.equal(validateManagedIdentity('USER').value, 'user');
    assert.equal(
      codeOf(() => validateManagedIdentity('yes')),
      'CONNECTION_INVALID_PARAMETER',
    );
  });
  test('exactly one credential kind', () => {
    assert.equal(credentialKindOf(new Set(['TenantID', 'ManagedIdentity'])), 'managedIdentity');
    assert.equal(credentialKindOf(new Set(['ClientSecret', 'ClientAssertionFile'])), undefined);
    assert.equal(
      codeOf(() => assertOneCredential(new Set(['TenantID']), 'x')),
      'CONNECTION_MISSING_PARAMETER',
    );
    assert.equal(
      codeOf(() => assertOneCredential(new Set(['ClientSecret', 'ManagedIdentity']), 'x')),
      'CONNECTION_INVALID_PARAMETER',
    );
    assert.equal(
      codeOf(() => assertOneCredential(new Set(['ClientAssertionFile']), 'x')),
      undefined,
    );
  });
});
