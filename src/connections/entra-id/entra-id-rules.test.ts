import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { AppError } from '../../core/errors.js';
import type { ValidationContext } from '../connection-type.js';
import {
  validateClientSecret,
  validateCloud,
  validateOrigin,
  validateSecretExpiresOn,
  validateTenantId,
} from './entra-id-rules.js';

const context: ValidationContext = { allowGuidSecret: false, now: new Date('2026-06-01T00:00:00Z') };

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : 'NOT_AN_APP_ERROR';
  }
}

describe('TenantID', () => {
  for (const value of ['72F988BF-86F1-41AF-91AB-2D7CD011DB47', 'contoso.onmicrosoft.com', 'login.contoso.co.uk']) {
    test(`accepts ${value}`, () => assert.equal(validateTenantId(value).value, value.toLowerCase()));
  }
  const refused: [string, string][] = [
    ['common', 'CONNECTION_INVALID_PARAMETER'],
    ['Organizations', 'CONNECTION_INVALID_PARAMETER'],
    ['consumers', 'CONNECTION_INVALID_PARAMETER'],
    ['https://login.microsoftonline.com/contoso.onmicrosoft.com', 'CONNECTION_INVALID_PARAMETER'],
    ['contoso.onmicrosoft.com/v2.0', 'CONNECTION_INVALID_PARAMETER'],
    ['contoso onmicrosoft.com', 'CONNECTION_INVALID_PARAMETER'],
    ['72f988bf-86f1-41af-91ab', 'CONNECTION_INVALID_PARAMETER'],
    ['contoso', 'CONNECTION_INVALID_PARAMETER'],
    ['<tenant id>', 'CONNECTION_PLACEHOLDER_VALUE'],
    ['00000000-0000-0000-0000-000000000000', 'CONNECTION_PLACEHOLDER_VALUE'],
    ['your-tenant-id', 'CONNECTION_PLACEHOLDER_VALUE'],
  ];
  for (const [value, code] of refused) {
    test(`refuses '${value}' with ${code}`, () =>
      assert.equal(
        codeOf(() => validateTenantId(value)),
        code,
      ));
  }
  test('the refusal of common says why and where to look', () => {
    assert.throws(
      () => validateTenantId('common'),
      (e: unknown) =>
        e instanceof AppError && /multi-tenant alias/.test(e.message) && /Directory \(tenant\) ID/.test(e.hint),
    );
  });
});

describe('ClientSecret', () => {
  test('a GUID is taken for a Secret ID unless allowed', () => {
    const guid = '3f2504e0-4f89-11d3-9a0c-0305e82c3301';
    assert.equal(
      codeOf(() => validateClientSecret(guid, context)),
      'CONNECTION_SECRET_LOOKS_LIKE_SECRET_ID',
    );
    assert.equal(validateClientSecret(guid, { ...context, allowGuidSecret: true }).value, guid);
    assert.equal(validateClientSecret('abc8Q~x.y_z-0123456789', context).value, 'abc8Q~x.y_z-0123456789');
    assert.equal(
      codeOf(() => validateClientSecret('your-client-secret', context)),
      'CONNECTION_PLACEHOLDER_VALUE',
    );
  });
});

describe('Cloud, AuthorityHost, GraphEndpoint, SecretExpiresOn', () => {
  test('Cloud is matched regardless of case and stored canonically', () => {
    assert.equal(validateCloud('usgovdod').value, 'USGovDoD');
    assert.equal(
      codeOf(() => validateCloud('Mars')),
      'CONNECTION_INVALID_PARAMETER',
    );
  });

  const origins: [string, string | undefined][] = [
    ['https://login.example.com', 'https://login.example.com'],
    ['https://login.example.com:8443/', 'https://login.example.com:8443'],
    ['http://127.0.0.1:4010', 'http://127.0.0.1:4010'],
    ['http://localhost:4010', 'http://localhost:4010'],
    ['http://[::1]:4010', 'http://[::1]:4010'],
    ['http://login.example.com', undefined],
    ['http://10.0.0.1:4010', undefined],
    ['https://login.example.com/tenant', undefined],
    ['https://login.example.com?x=1', undefined],
    ['https://user:pw@login.example.com', undefined],
    ['ftp://login.example.com', undefined],
    ['login.example.com', undefined],
  ];
  for (const [input, expected] of origins) {
    test(`AuthorityHost ${input} → ${expected ?? 'refused'}`, () => {
      if (expected) assert.equal(validateOrigin('AuthorityHost', input).value, expected);
      else
        assert.equal(
          codeOf(() => validateOrigin('AuthorityHost', input)),
          'CONNECTION_INVALID_PARAMETER',
        );
    });
  }

  test('SecretExpiresOn takes a date, warns when it is near or past', () => {
    assert.deepEqual(validateSecretExpiresOn('2027-03-16', context).warnings, []);
    assert.match(validateSecretExpiresOn('2026-06-15', context).warnings?.[0] ?? '', /expires in 14 day/);
    assert.match(validateSecretExpiresOn('2026-05-01', context).warnings?.[0] ?? '', /has expired/);
    assert.equal(validateSecretExpiresOn('2027-03-16T10:00:00Z', context).value, '2027-03-16T10:00:00Z');
    for (const bad of ['16/03/2027', '2027-13-40', 'next year']) {
      assert.equal(
        codeOf(() => validateSecretExpiresOn(bad, context)),
        'CONNECTION_INVALID_PARAMETER',
        bad,
      );
    }
  });
});
