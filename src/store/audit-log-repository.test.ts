import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { createManualClock } from '../core/clock.js';
import { createAuditLogRepository } from './audit-log-repository.js';
import { type OpenedDatabase, openDatabase } from './open-database.js';

async function exercise(opened: OpenedDatabase): Promise<void> {
  const clock = createManualClock(new Date('2026-03-01T10:00:00Z'));
  const audit = createAuditLogRepository(opened.db, clock);
  const first = await audit.record({
    actor: 'alice',
    origin: { channel: 'cli', address: 'host-1' },
    connection: 'hr-prod',
    action: 'group.addMember',
    target: 'g-1',
    result: 'succeeded',
    details: { changed: ['u-1'], unchanged: [] },
  });
  clock.advance(1000);
  await audit.record({
    actor: 'bob',
    origin: { channel: 'api' },
    action: 'auth.login',
    result: 'failed',
    errorCode: 'AUTH_INVALID_CREDENTIALS',
  });
  await audit.record({
    actor: 'alice',
    origin: { channel: 'cli' },
    connection: 'hr-prod',
    action: 'user.disable',
    target: 'u-2',
    result: 'succeeded',
  });

  const all = await audit.list();
  assert.deepEqual(
    all.map((e) => e.action),
    ['user.disable', 'auth.login', 'group.addMember'],
  );
  const oldest = all[2]!;
  assert.equal(oldest.id, first.id);
  assert.deepEqual(oldest.origin, { channel: 'cli', address: 'host-1' });
  assert.deepEqual(oldest.details, { changed: ['u-1'], unchanged: [] });
  assert.equal(oldest.at.toISOString(), '2026-03-01T10:00:00.000Z');
  assert.equal(all[1]!.errorCode, 'AUTH_INVALID_CREDENTIALS');
  assert.equal(all[1]!.connection, undefined);

  assert.deepEqual(
    (await audit.list({ connection: 'hr-prod' })).map((e) => e.action),
    ['user.disable', 'group.addMember'],
  );
  assert.deepEqual(
    (await audit.list({ limit: 1, beforeId: all[0]!.id })).map((e) => e.action),
    ['auth.login'],
  );
  assert.deepEqual((await audit.list({ actor: 'bob' })).length, 1);
}

describe('audit log repository (SQLite)', () => {
  let dir: string;
  let opened: OpenedDatabase;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'gatehouse-audit-'));
    opened = await openDatabase({ dataDir: dir });
  });
  after(async () => {
    await opened.close();
    rmSync(dir, { recursive: true, force: true });
  });
  test('records events and lists them newest first, filtered and paged', () => exercise(opened));
});

describe('audit log repository (PostgreSQL)', () => {
  const url = process.env.GATEHOUSE_TEST_DATABASE_URL;
  if (!url) {
    test('SKIPPED: set GATEHOUSE_TEST_DATABASE_URL to run the PostgreSQL audit log tests', { skip: true }, () => {});
    return;
  }
  const schema = `audit_${process.pid}_${Date.now()}`;
  let opened: OpenedDatabase;
  before(async () => {
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: url });
    await client.connect();
    await client.query(`create schema ${schema}`);
    await client.end();
    opened = await openDatabase({ dataDir: tmpdir(), databaseUrl: url, schema, migrations: 'auto' });
  });
  after(async () => {
    await opened.close();
    const pg = await import('pg');
    const client = new pg.default.Client({ connectionString: url });
    await client.connect();
    await client.query(`drop schema ${schema} cascade`);
    await client.end();
  });
  test('records events and lists them newest first, filtered and paged', () => exercise(opened));
});
