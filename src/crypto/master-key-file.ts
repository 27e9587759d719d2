import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ensurePrivateDir, restrictFile } from '../core/private-files.js';
import { encodeMasterKey, generateMasterKey, type MasterKey, parseMasterKey } from './master-key.js';

export const MASTER_KEY_FILE = 'master.key';
/** Written before a rotation's transaction, renamed over master.key after it (see rotate-master-key.ts). */
export const NEXT_MASTER_KEY_FILE = 'master.key.next';

export interface KeyMaterial {
  readonly current: MasterKey;
  /** The key of a rotation that was started; whether it committed is decided by the store's key check. */
  readonly next?: MasterKey;
  /** `env` = GATEHOUSE_MASTER_KEY; `file` = master.key in the data dir. */
  readonly source: 'env' | 'file';
  /** True when this call created master.key. */
  readonly created: boolean;
}

/** Writes a key file with mode 0600 and fsyncs it, so a crash never leaves a half-written key behind. */
export function writeKeyFile(path: string, key: MasterKey): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeSync(fd, `${encodeMasterKey(key)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function readKeyFile(path: string): MasterKey {
  return parseMasterKey(readFileSync(path, 'utf8'), path);
}

/**
 * The master key from GATEHOUSE_MASTER_KEY (base64 of 32 bytes) or `master.key` in the data dir, created with mode
 * 0600 on first use.
 */
export function loadKeyMaterial(options: { dataDir: string; envKey?: string }): KeyMaterial {
  if (options.envKey !== undefined && options.envKey !== '') {
    return { current: parseMasterKey(options.envKey, 'GATEHOUSE_MASTER_KEY'), source: 'env', created: false };
  }
  ensurePrivateDir(options.dataDir);
  const path = join(options.dataDir, MASTER_KEY_FILE);
  // A key file written by hand or restored from a backup may be wider than 0600: narrow it before reading it.
  restrictFile(path);
  const nextPath = join(options.dataDir, NEXT_MASTER_KEY_FILE);
  const next = existsSync(nextPath) ? readKeyFile(nextPath) : undefined;
  if (existsSync(path)) return { current: readKeyFile(path), next, source: 'file', created: false };
  const key = generateMasterKey();
  writeKeyFile(path, key);
  return { current: key, next, source: 'file', created: true };
}

export function writeNextKeyFile(dataDir: string, key: MasterKey): void {
  rmSync(join(dataDir, NEXT_MASTER_KEY_FILE), { force: true });
  writeKeyFile(join(dataDir, NEXT_MASTER_KEY_FILE), key);
}

/** Makes the rotated key the current one (an atomic rename on POSIX). */
export function promoteNextKeyFile(dataDir: string): void {
  renameSync(join(dataDir, NEXT_MASTER_KEY_FILE), join(dataDir, MASTER_KEY_FILE));
}

export function discardNextKeyFile(dataDir: string): void {
  rmSync(join(dataDir, NEXT_MASTER_KEY_FILE), { force: true });
}

/** Removes a master.key this process created moments ago (it did not match the store). */
export function discardCreatedKeyFile(dataDir: string): void {
  rmSync(join(dataDir, MASTER_KEY_FILE), { force: true });
}
