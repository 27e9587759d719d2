import assert from 'node:assert/strict';
import { test } from 'node:test';
import { AppError } from '../core/errors.js';
import { KeyRing } from './key-ring.js';
import { generateMasterKey, parseMasterKey } from './master-key.js';
import { createPassphraseBox } from './passphrase-box.js';
import { open, parseEnvelope, seal } from './secret-box.js';

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;

test('an envelope opens with its key only, and names that key', () => {
  const key = generateMasterKey();
  const envelope = seal(key, 'the value');
  assert.match(envelope, /^gh1\.[0-9a-f]{12}\./);
  assert.equal(parseEnvelope(envelope).keyId, key.id);
  assert.equal(open(key, envelope), 'the value');
  assert.notEqual(seal(key, 'the value'), envelope, 'a fresh IV per seal');
  assert.throws(() => open(generateMasterKey(), envelope), isCode('KEY_MISMATCH'));
});

test('a tampered envelope is refused', () => {
  const key = generateMasterKey();
  const parts = seal(key, 'the value').split('.');
  const ciphertext = Buffer.from(parts[3] as string, 'base64url');
  ciphertext[0] = (ciphertext[0] ?? 0) ^ 1;
  parts[3] = ciphertext.toString('base64url');
  assert.throws(() => open(key, parts.join('.')), isCode('KEY_MISMATCH'));
  assert.throws(() => open(key, 'not-an-envelope'), isCode('KEY_MISMATCH'));
});

test('a ring reads envelopes of every key it knows and writes with the current one', () => {
  const oldKey = generateMasterKey();
  const ring = new KeyRing(oldKey);
  const before = ring.encrypt('v');
  const newKey = generateMasterKey();
  ring.adopt(newKey);
  assert.equal(ring.decrypt(before), 'v');
  assert.equal(ring.keyIdOf(ring.encrypt('v')), newKey.id);
  assert.throws(() => new KeyRing(generateMasterKey()).decrypt(before), isCode('KEY_MISMATCH'));
});

test('master keys must be base64 of exactly 32 bytes', () => {
  assert.throws(() => parseMasterKey(Buffer.alloc(16).toString('base64'), 'env'), isCode('KEY_INVALID'));
  assert.throws(() => parseMasterKey('not base64!', 'env'), isCode('KEY_INVALID'));
  assert.equal(parseMasterKey(Buffer.alloc(32, 7).toString('base64'), 'env').bytes.length, 32);
});

test('the passphrase box opens with the passphrase only', () => {
  const box = createPassphraseBox({ cost: 2 ** 10 });
  const sealed = box.seal('{"ClientSecret":"x"}', 'correct horse');
  assert.equal(box.open(sealed, 'correct horse'), '{"ClientSecret":"x"}');
  assert.throws(() => box.open(sealed, 'wrong horse'), isCode('CONNECTION_PASSPHRASE_WRONG'));
  assert.throws(() => box.open('gp1.junk', 'correct horse'), isCode('CONNECTION_IMPORT_INVALID'));
});
