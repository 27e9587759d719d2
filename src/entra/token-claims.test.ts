import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeTokenClaims } from './token-claims.js';

function jwt(payload: object): string {
  const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${encode({ alg: 'RS256', typ: 'JWT' })}.${encode(payload)}.c2lnbmF0dXJl`;
}

describe('decodeTokenClaims', () => {
  it('reads roles, tenant, client id and times of an app-only token', () => {
    const claims = decodeTokenClaims(
      jwt({
        aud: 'https://graph.microsoft.com',
        tid: 'tenant-1',
        appid: 'client-1',
        idtyp: 'app',
        roles: ['User.Read.All', 'GroupMember.Read.All'],
        iat: 1_800_000_000,
        exp: 1_800_003_599,
      }),
    );
    assert.ok(claims);
    assert.deepEqual(claims.roles, ['User.Read.All', 'GroupMember.Read.All']);
    assert.equal(claims.tid, 'tenant-1');
    assert.equal(claims.clientId, 'client-1');
    assert.equal(claims.expiresAt?.toISOString(), new Date(1_800_003_599_000).toISOString());
  });

  it('gives empty roles when the claim is absent (delegated-only or no admin consent)', () => {
    assert.deepEqual(decodeTokenClaims(jwt({ azp: 'client-2', exp: 1 }))?.roles, []);
    assert.equal(decodeTokenClaims(jwt({ azp: 'client-2' }))?.clientId, 'client-2');
  });

  it('returns undefined for opaque tokens and malformed payloads', () => {
    assert.equal(decodeTokenClaims('opaque-token-value'), undefined);
    assert.equal(decodeTokenClaims('a.%%%.c'), undefined);
    assert.equal(decodeTokenClaims(jwt({ roles: 'User.Read.All' })), undefined);
  });
});
