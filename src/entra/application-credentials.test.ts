import assert from 'node:assert/strict';
import { test } from 'node:test';
import { thumbprintOf } from './application-credentials.js';

test('customKeyIdentifier: the SHA-1 thumbprint whether Graph spells it as raw bytes, hex text or base64 of the text', () => {
  const hex = 'a94a8fe5ccb19ba61c4c0873d391e987982fbbd3';
  assert.equal(thumbprintOf(Buffer.from(hex, 'hex').toString('base64')), hex);
  assert.equal(thumbprintOf(hex.toUpperCase()), hex);
  assert.equal(thumbprintOf(Buffer.from(hex.toUpperCase(), 'latin1').toString('base64')), hex);
  assert.equal(thumbprintOf('bXkta2V5'), undefined, 'a custom identifier that is no thumbprint');
  assert.equal(thumbprintOf(null), undefined);
});
