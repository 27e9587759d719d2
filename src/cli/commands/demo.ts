import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { toConnectionView } from '../../connections/connection-view.js';
import { openGatehouse } from '../../main.js';
import type { CliContext } from '../cli-context.js';
import { connectionText } from '../output-connection.js';

/**
 * `gatehouse demo`: a first look that needs nothing set up — creates the seed's sample connection (with demo values)
 * in a temporary data dir and shows it. The server engineer turns this into the full demo (emulator + server + UI).
 */
export function registerDemoCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('demo')
    .description('create a sample EntraID connection in a temporary data dir and show it')
    .option('--keep', 'keep the temporary data dir (its path is printed)')
    .action(async (options: { keep?: boolean }) => {
      const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-demo-'));
      const gatehouse = await openGatehouse({ dataDir, logger: ctx.logger });
      try {
        const { connection, trimmed } = await gatehouse.connections.create({
          name: 'MS EntraID',
          type: 'EntraID',
          parameters: [
            { key: 'TenantID', value: 'contoso.onmicrosoft.com' },
            { key: 'ClientID', value: randomUUID() },
            // A demo secret with the shape of a real one; it is encrypted at once and never shown again.
            { key: 'ClientSecret', value: ` demo~${randomBytes(24).toString('base64url')} ` },
          ],
        });
        ctx
          .output()
          .result(
            { dataDir: options.keep ? dataDir : undefined, connection: toConnectionView(connection), trimmed },
            () => [
              `Created the sample connection in ${dataDir}${options.keep ? '' : ' (removed on exit; --keep keeps it)'}:`,
              '',
              ...connectionText(connection),
              '',
              `Trimmed: ${trimmed.join(', ')} (the seed's "no extra spaces" rule, enforced).`,
              'The secret is stored encrypted; `show` prints only when it was set and a fingerprint.',
              'Next: `gatehouse connections create --name NAME --type EntraID --param TenantID=... --param ClientID=... --param ClientSecret=...`',
            ],
          );
      } finally {
        await gatehouse.close();
        if (!options.keep) rmSync(dataDir, { recursive: true, force: true });
      }
    });
}
