import type { Command } from 'commander';
import type { Gatehouse } from '../../main.js';
import type { CliContext } from '../cli-context.js';
import { formatTable } from '../output.js';

async function connectionId(gatehouse: Gatehouse, name: string): Promise<string> {
  return (await gatehouse.connections.get(name)).id;
}

function limitOf(text: string | undefined): number {
  const n = Number(text ?? 1000);
  return Number.isInteger(n) && n > 0 ? n : 1000;
}

interface MemberRow {
  id: string;
  type: 'user' | 'group';
  userPrincipalName?: string;
  displayName: string | null;
  /** The group it is a direct member of (differs from the asked group for nested members). */
  via: string;
}

/** `gatehouse directory users|groups|members`: the local copy of the tenant (after `sync run`). */
export function registerDirectoryCommands(program: Command, ctx: CliContext): Command {
  const directory = program.command('directory').description('browse the synced local directory (no Graph calls)');

  directory
    .command('users')
    .description('list synced users')
    .argument('<name>', 'connection name')
    .option('--search <text>', 'part of the displayName, userPrincipalName or mail')
    .option('--limit <n>', 'at most this many (default 1000)')
    .action(async (name: string, options: { search?: string; limit?: string }) => {
      const gatehouse = await ctx.gatehouse();
      const users = await gatehouse.directory.reader.listUsers(await connectionId(gatehouse, name), {
        limit: limitOf(options.limit),
        ...(options.search ? { search: options.search } : {}),
      });
      ctx
        .output()
        .result(users, () =>
          formatTable([
            ['ID', 'USER PRINCIPAL NAME', 'DISPLAY NAME', 'ENABLED'],
            ...users.map((u) => [
              u.id,
              u.userPrincipalName,
              u.displayName ?? '',
              u.deleted ? 'deleted' : u.accountEnabled ? 'yes' : 'no',
            ]),
          ]),
        );
    });

  directory
    .command('groups')
    .description('list synced groups')
    .argument('<name>', 'connection name')
    .option('--search <text>', 'part of the displayName')
    .option('--limit <n>', 'at most this many (default 1000)')
    .action(async (name: string, options: { search?: string; limit?: string }) => {
      const gatehouse = await ctx.gatehouse();
      const groups = await gatehouse.directory.reader.listGroups(await connectionId(gatehouse, name), {
        limit: limitOf(options.limit),
        ...(options.search ? { search: options.search } : {}),
      });
      ctx
        .output()
        .result(groups, () => formatTable([['ID', 'DISPLAY NAME'], ...groups.map((g) => [g.id, g.displayName])]));
    });

  directory
    .command('members')
    .description("list a group's members from the local directory")
    .argument('<name>', 'connection name')
    .argument('<group>', 'object id or exact displayName')
    .option('--transitive', 'include members of nested groups')
    .action(async (name: string, groupRef: string, options: { transitive?: boolean }) => {
      const gatehouse = await ctx.gatehouse();
      const cid = await connectionId(gatehouse, name);
      const group = await gatehouse.directory.resolveGroup(cid, groupRef);
      const links = await gatehouse.directory.members(cid, group.id, options.transitive === true);
      const reader = gatehouse.directory.reader;
      const members: MemberRow[] = [];
      for (const link of links) {
        if (link.memberType === 'group') {
          const g = await reader.getGroup(cid, link.memberId);
          if (g) members.push({ id: g.id, type: 'group', displayName: g.displayName, via: link.groupId });
        } else {
          // Users excluded by policy (disabled, out of scope) keep their links but are not listed.
          const u = await reader.getUser(cid, link.memberId);
          if (u) {
            members.push({
              id: u.id,
              type: 'user',
              userPrincipalName: u.userPrincipalName,
              displayName: u.displayName,
              via: link.groupId,
            });
          }
        }
      }
      const output = { group: { id: group.id, displayName: group.displayName }, members };
      ctx
        .output()
        .result(output, () =>
          formatTable([
            ['ID', 'TYPE', 'NAME'],
            ...members.map((m) => [m.id, m.type, m.userPrincipalName ?? m.displayName ?? '']),
          ]),
        );
    });
  return directory;
}
