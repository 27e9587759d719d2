import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLogger } from './create-logger.js';
import { prettyLogLine } from './pretty-log-line.js';

describe('pretty log lines (issue 16 item 12: a demo console full of JSON)', () => {
  it('turns a pino line into time, level, component, message and key=value fields', () => {
    const line = prettyLogLine(
      JSON.stringify({ level: 40, time: '2026-12-01T10:02:07.000Z', component: 'server', msg: 'retried', status: 429 }),
    );
    assert.match(line, /^\d{2}:\d{2}:\d{2} WARN {2}server: retried status=429\n$/);
  });

  it('keeps redaction: the pretty logger prints [redacted], never the secret', () => {
    let out = '';
    const logger = createLogger({ format: 'pretty', destination: { write: (chunk: string) => (out += chunk) } });
    logger.warn({ password: 'hunter2-canary', connection: 'hr prod' }, 'login failed');
    assert.doesNotMatch(out, /hunter2-canary/);
    assert.match(out, /WARN {2}login failed password=\[redacted\] connection="hr prod"/);
    assert.doesNotMatch(out, /^\{/, 'not JSON');
  });

  it('shows an error by its type and message', () => {
    const line = prettyLogLine(
      JSON.stringify({ level: 50, msg: 'boom', err: { type: 'Error', message: 'disk full' } }),
    );
    assert.match(line, /ERROR boom err="Error: disk full"/);
  });

  it('passes anything that is not JSON through', () => {
    assert.equal(prettyLogLine('plain text'), 'plain text\n');
  });
});
