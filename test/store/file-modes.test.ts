import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadKeyMaterial } from '../../src/crypto/master-key-file.js';
import { openDatabase, SQLITE_FILE } from '../../src/store/open-database.js';

// Issue 12, finding 8: the SQLite files and the master key are 0600, and directories gatehouse creates 0700,
// whatever the umask and the mode of a data dir that already existed.
const skip = process.platform === 'win32' ? 'POSIX modes only' : false;
const root = mkdtempSync(join(tmpdir(), 'gatehouse-modes-'));
after(() => rmSync(root, { recursive: true, force: true }));

const modeOf = (path: string) => statSync(path).mode & 0o777;

test('in a pre-existing 0755 data dir under umask 022, the store and key files are 0600', { skip }, async () => {
  const previous = process.umask(0o022);
  try {
    const dataDir = join(root, 'existing');
    mkdirSync(dataDir, { mode: 0o755 });
    chmodSync(dataDir, 0o755);
    loadKeyMaterial({ dataDir });
    const store = await openDatabase({ dataDir });
    try {
      // A write, so SQLite has its -wal and -shm files open.
      await store.db.insertInto('gatehouse_meta').values({ key: 'mode-test', value: 'x' }).execute();
      const db = join(dataDir, SQLITE_FILE);
      for (const path of [db, `${db}-wal`, `${db}-shm`, join(dataDir, 'master.key')]) {
        assert.ok(existsSync(path), path);
        assert.equal(modeOf(path).toString(8), '600', path);
      }
    } finally {
      await store.close();
    }
  } finally {
    process.umask(previous);
  }
});

test('directories gatehouse creates are 0700 even under umask 000; a wide existing db file is narrowed', {
  skip,
}, async () => {
  const previous = process.umask(0o000);
  try {
    const dataDir = join(root, 'new', 'nested');
    const store = await openDatabase({ dataDir });
    await store.close();
    assert.equal(modeOf(dataDir).toString(8), '700');
    assert.equal(modeOf(join(dataDir, SQLITE_FILE)).toString(8), '600');

    const oldDir = join(root, 'old');
    mkdirSync(oldDir, { mode: 0o755 });
    writeFileSync(join(oldDir, SQLITE_FILE), '', { mode: 0o644 });
    writeFileSync(join(oldDir, 'master.key'), `${Buffer.alloc(32, 7).toString('base64')}\n`, { mode: 0o644 });
    const reopened = await openDatabase({ dataDir: oldDir });
    await reopened.close();
    loadKeyMaterial({ dataDir: oldDir });
    assert.equal(modeOf(join(oldDir, SQLITE_FILE)).toString(8), '600');
    assert.equal(modeOf(join(oldDir, 'master.key')).toString(8), '600');
  } finally {
    process.umask(previous);
  }
});
