import { type Command, Option } from 'commander';
import { CAPABILITY_NAMES } from '../../doctor/capabilities.js';
import { planForConnection } from '../../doctor/connection-permission-plan.js';
import { renderPermissionPlan } from '../../doctor/permission-plan-text.js';
import { consentRedirectUri, parsePublicUrl } from '../../server/public-url.js';
import type { CliContext } from '../cli-context.js';
import { parseCapabilities } from './connections-test.js';

/**
 * `gatehouse connections permissions NAME [--capability C ...] [--public-url URL] [--json]` (product.md section
 * 9.3): the least-privileged Graph application permissions for the capabilities, what the last token lacks, the
 * manifest JSON, the az and PowerShell commands and the admin-consent URL.
 */
export function registerConnectionPermissionsCommand(connections: Command, ctx: CliContext): void {
  connections
    .command('permissions')
    .description('plan the least-privileged Graph application permissions: ids, manifest, az/PowerShell, consent URL')
    .argument('<name>', 'connection name or id')
    .addOption(
      new Option(
        '--capability <capability...>',
        `capabilities to plan for (default all: ${CAPABILITY_NAMES.join(', ')})`,
      ),
    )
    .option(
      '--public-url <url>',
      'the https address of `gatehouse serve --public-url`: the consent URL then returns to its /consent/callback',
      ctx.io.env.GATEHOUSE_PUBLIC_URL,
    )
    .action(async (name: string, options: { capability?: string[]; publicUrl?: string }) => {
      const capabilities = options.capability ? parseCapabilities(options.capability) : undefined;
      const publicUrl = options.publicUrl ? parsePublicUrl(options.publicUrl) : undefined;
      const connection = await (await ctx.gatehouse()).connections.get(name);
      const plan = planForConnection(connection, {
        ...(capabilities ? { capabilities } : {}),
        ...(publicUrl ? { consentRedirectUri: consentRedirectUri(publicUrl) } : {}),
      });
      ctx.output().result(plan, () => renderPermissionPlan(plan));
    });
}
