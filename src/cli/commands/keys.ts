import type { Command } from 'commander';
import { AppError, isAppError } from '../../core/errors.js';
import { parseMasterKey } from '../../crypto/master-key.js';
import { rotateMasterKey } from '../../crypto/rotate-master-key.js';
import type { CliContext } from '../cli-context.js';
import { MAX_PARAMETER_FILE_BYTES, readBoundedFile } from '../read-bounded.js';
import { shownPath } from '../shown-value.js';

/** `gatehouse keys rotate`: re-encrypts every stored secret with a new master key in one transaction. */
export function registerKeyCommands(program: Command, ctx: CliContext): Command {
  const group = program.command('keys').description('manage the master key that encrypts secrets at rest');
  group
    .command('rotate')
    .description('re-encrypt every secret with a new master key (one transaction; crash-safe)')
    .option('--new-key-file <file>', 'base64 of 32 bytes to rotate to (required when GATEHOUSE_MASTER_KEY is set)')
    .action(async (options: { newKeyFile?: string }) => {
      const gatehouse = await ctx.gatehouse();
      const newKey = options.newKeyFile ? readNewKey(ctx.resolvePath(options.newKeyFile)) : undefined;
      const result = await rotateMasterKey({
        dataDir: gatehouse.dataDir,
        ring: gatehouse.keyRing,
        source: gatehouse.keySource,
        newKey,
        reencrypt: (next, keyCheck) => gatehouse.connections.reencryptAll(next, keyCheck),
        logger: gatehouse.logger,
      });
      ctx
        .output()
        .result(result, () => [
          `Rotated the master key from ${result.previousKeyId} to ${result.keyId}; re-encrypted the secrets of ${result.connections} connection(s).`,
          result.source === 'env'
            ? 'Set GATEHOUSE_MASTER_KEY to the new key now: the old key no longer opens this store.'
            : 'The new key is in master.key in the data dir; back it up.',
        ]);
    });
  return group;
}

function readNewKey(path: string) {
  let text: string;
  try {
    text = readBoundedFile(path, MAX_PARAMETER_FILE_BYTES, '--new-key-file');
  } catch (cause) {
    if (isAppError(cause)) throw cause;
    throw new AppError('USAGE_ERROR', {
      message: `Cannot read --new-key-file ${shownPath(path)}.`,
      cause,
      hint: 'Check the path.',
    });
  }
  return parseMasterKey(text, path);
}
