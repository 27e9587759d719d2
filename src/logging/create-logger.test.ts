import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Secret } from '../core/secret.js';
import { createLogger } from './create-logger.js';

test('log lines redact secret-looking fields and Secret values, at every level', () => {
  const lines: string[] = [];
  const logger = createLogger({ level: 'trace', destination: { write: (chunk: string) => lines.push(chunk) } });
  logger.trace({ clientSecret: 'plain-1', request: { headers: { authorization: 'Bearer plain-2' } } }, 'token request');
  logger.child({ connection: 'hr' }).debug({ credential: { secret: 'plain-3' }, value: new Secret('plain-4') });
  logger.error({ password: 'plain-5', detail: 'kept' });
  assert.equal(lines.length, 3);
  const output = lines.join('');
  for (const plain of ['plain-1', 'plain-2', 'plain-3', 'plain-4', 'plain-5'])
    assert.ok(!output.includes(plain), plain);
  assert.match(output, /"detail":"kept"/);
  assert.match(lines[1] ?? '', /"connection":"hr"/);
});

test('the level filters lower levels out', () => {
  const lines: string[] = [];
  const logger = createLogger({ level: 'warn', destination: { write: (chunk: string) => lines.push(chunk) } });
  logger.info({}, 'not shown');
  logger.warn({}, 'shown');
  assert.equal(lines.length, 1);
});
