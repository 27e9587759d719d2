import { chmodSync, closeSync, existsSync, mkdirSync, openSync, statSync } from 'node:fs';

/**
 * The data dir holds password and token hashes, the audit log, directory personal data and the master key: its files
 * are the owner's alone (0600) and the directories gatehouse creates are 0700, whatever the umask and whatever the
 * mode of a directory that already existed (issue 12, finding 8). Modes are set explicitly after creation, since the
 * umask only ever removes bits and an existing file keeps its mode.
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

const isWindows = process.platform === 'win32';

/** Creates `dir` (and its missing parents) as 0700; an existing directory is left as it is. */
export function ensurePrivateDir(dir: string): void {
  if (existsSync(dir)) return;
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  if (!isWindows) chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Makes an existing file 0600 (when it is ours and wider); does nothing when it does not exist. */
export function restrictFile(path: string): void {
  if (isWindows || !existsSync(path)) return;
  const stat = statSync(path);
  const ours = typeof process.getuid !== 'function' || stat.uid === process.getuid();
  if (ours && (stat.mode & 0o777) !== PRIVATE_FILE_MODE) chmodSync(path, PRIVATE_FILE_MODE);
}

/** Creates `path` empty with mode 0600 unless it exists, and narrows it to 0600 if it does. */
export function ensurePrivateFile(path: string): void {
  if (!existsSync(path)) {
    try {
      closeSync(openSync(path, 'wx', PRIVATE_FILE_MODE));
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
  }
  restrictFile(path);
}
