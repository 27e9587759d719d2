import type { Command } from 'commander';
import type { Group, ObjectRef } from '../../actions/graph-objects.js';
import type { CliContext } from '../cli-context.js';
import { formatTable } from '../output.js';
import { hasFailures, runAction } from './action.js';

interface MembershipOutput {
  group: string;
  changed: string[];
  unchanged: string[];
  failed: { member: string; code: string; message: string }[];
}

function membershipText(output: MembershipOutput, done: string, already: string): string[] {
  const lines = [`${done}: ${output.changed.length}; ${already}: ${output.unchanged.length} (group ${output.group}).`];
  for (const id of output.changed) lines.push(`  changed    ${id}`);
  for (const id of output.unchanged) lines.push(`  unchanged  ${id}`);
  for (const f of output.failed) lines.push(`  failed     ${f.member}  ${f.code}: ${f.message}`);
  return lines;
}

/** `gatehouse groups list|members|add-member|remove-member` (product.md section 4). */
export function registerGroupCommands(program: Command, ctx: CliContext): Command {
  const group = program
    .command('groups')
    .description('list groups and members, add and remove members (live, via Graph)');

  group
    .command('list')
    .description('list groups (all pages)')
    .argument('<name>', 'connection name')
    .option('--search <text>', 'only groups whose displayName starts with this text')
    .action(async (name: string, options: { search?: string }) => {
      const groups: Group[] = [];
      let cursor: string | undefined;
      do {
        const input = {
          top: 999,
          ...(options.search ? { search: options.search } : {}),
          ...(cursor ? { cursor } : {}),
        };
        const page = (await runAction(ctx, name, 'group.list', input)) as { groups: Group[]; nextCursor?: string };
        groups.push(...page.groups);
        cursor = page.nextCursor;
      } while (cursor);
      ctx
        .output()
        .result({ groups }, () =>
          formatTable([['ID', 'DISPLAY NAME'], ...groups.map((g) => [g.id, g.displayName ?? ''])]),
        );
    });

  group
    .command('members')
    .description("list a group's members")
    .argument('<name>', 'connection name')
    .argument('<group>', 'object id or exact displayName')
    .option('--transitive', 'include members of nested groups')
    .action(async (name: string, groupRef: string, options: { transitive?: boolean }) => {
      const output = (await runAction(ctx, name, 'group.members', {
        group: groupRef,
        transitive: options.transitive === true,
      })) as { group: string; members: ObjectRef[] };
      ctx
        .output()
        .result(output, () =>
          formatTable([
            ['ID', 'TYPE', 'NAME'],
            ...output.members.map((m) => [m.id, m.type, m.userPrincipalName ?? m.displayName ?? '']),
          ]),
        );
    });

  for (const [command, action, done, already] of [
    ['add-member', 'group.addMember', 'Added', 'already members'],
    ['remove-member', 'group.removeMember', 'Removed', 'not members'],
  ] as const) {
    group
      .command(command)
      .description(`${command === 'add-member' ? 'add users or groups to' : 'remove users or groups from'} a group`)
      .argument('<name>', 'connection name')
      .argument('<group>', 'object id or exact displayName')
      .argument('<users...>', 'object ids or userPrincipalNames')
      .action(async (name: string, groupRef: string, members: string[]) => {
        const output = (await runAction(ctx, name, action, { group: groupRef, members })) as MembershipOutput;
        if (hasFailures(output)) ctx.setExitCode(1);
        ctx.output().result(output, () => membershipText(output, done, already));
      });
  }
  return group;
}
