import type { Command } from 'commander';
import type { CliContext } from '../cli-context.js';

/** `gatehouse membership check NAME --user U --group G [--live]` (product.md section 4). */
export function registerMembershipCommands(program: Command, ctx: CliContext): Command {
  const membership = program.command('membership').description('nested group membership checks');
  membership
    .command('check')
    .description('is the user a member of the group, directly or through nested groups?')
    .argument('<name>', 'connection name')
    .requiredOption('--user <user>', 'object id or userPrincipalName')
    .requiredOption('--group <group>', 'object id or exact displayName')
    .option('--live', 'ask Microsoft Graph (checkMemberGroups) instead of the synced directory')
    .action(async (name: string, options: { user: string; group: string; live?: boolean }) => {
      const gatehouse = await ctx.gatehouse();
      const answer = await gatehouse.membership.check(name, options.user, options.group, {
        live: options.live === true,
      });
      ctx.output().result(answer, () => {
        const source =
          answer.source === 'live'
            ? 'Graph (live)'
            : `the local directory${answer.syncedAt ? `, synced ${answer.syncedAt}` : ''}`;
        if (!answer.member) return `No: ${options.user} is not a member of ${options.group} (${source}).`;
        const path = answer.path.map((s) => s.displayName).join(' > ');
        return `Yes: ${options.user} is a member of ${options.group} via ${path} (${source}).`;
      });
    });
  return membership;
}
