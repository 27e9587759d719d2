import { randomBytes } from 'node:crypto';
import type { Command } from 'commander';
import type { Account, ApiToken } from '../../accounts/account.js';
import { isRole, type Role } from '../../accounts/roles.js';
import { AppError } from '../../core/errors.js';
import type { CliContext } from '../cli-context.js';
import { formatTable } from '../output.js';
import { shownValue } from '../shown-value.js';

function parseRole(text: string): Role {
  if (!isRole(text))
    throw new AppError('USAGE_ERROR', {
      message: `--role must be admin, operator or viewer, not ${shownValue(text)}.`,
    });
  return text;
}

async function readStdin(ctx: CliContext): Promise<string> {
  let text = '';
  for await (const chunk of ctx.io.stdin) text += String(chunk);
  // One trailing newline comes from `echo`; the password itself is kept as typed.
  return text.replace(/\r?\n$/, '');
}

function accountRow(a: Account): string[] {
  return [a.username, a.role, a.disabled ? 'disabled' : 'active', a.lastLoginAt?.toISOString() ?? '—'];
}

function tokenRow(t: ApiToken): string[] {
  const state = t.revokedAt ? 'revoked' : t.expiresAt ? `expires ${t.expiresAt.toISOString()}` : 'no expiry';
  return [t.id, t.name, `${t.prefix}…`, t.role, state];
}

function registerTokenCommands(group: Command, ctx: CliContext): void {
  const tokens = group.command('token').description('API tokens for machines (shown once, stored hashed)');
  tokens
    .command('create')
    .description('create an API token and print it once')
    .requiredOption('--name <name>', 'what the token is for, e.g. the workflow that uses it')
    .option('--role <role>', 'admin, operator or viewer', 'operator')
    .option('--expires <date>', 'expiry date (ISO 8601), e.g. 2027-01-01')
    .action(async (options: { name: string; role: string; expires?: string }) => {
      const expiresAt = options.expires ? new Date(options.expires) : undefined;
      if (expiresAt && Number.isNaN(expiresAt.getTime())) {
        throw new AppError('USAGE_ERROR', { message: `--expires ${shownValue(options.expires ?? '')} is not a date.` });
      }
      const gatehouse = await ctx.gatehouse();
      const created = await gatehouse.accounts.createApiToken({
        name: options.name,
        role: parseRole(options.role),
        createdBy: `cli:${ctx.io.env.USER ?? 'unknown'}`,
        ...(expiresAt ? { expiresAt } : {}),
      });
      ctx
        .output()
        .result({ token: created.token, apiToken: created.apiToken }, () => [
          created.token,
          `(shown once: store it now; send it as "Authorization: Bearer <token>". Id ${created.apiToken.id}.)`,
        ]);
    });
  tokens
    .command('list')
    .description('list API tokens (never the tokens themselves)')
    .action(async () => {
      const list = await (await ctx.gatehouse()).accounts.listApiTokens();
      ctx.output().result(list, () => formatTable([['ID', 'NAME', 'TOKEN', 'ROLE', 'STATE'], ...list.map(tokenRow)]));
    });
  tokens
    .command('revoke <id>')
    .description('revoke an API token')
    .action(async (id: string) => {
      await (await ctx.gatehouse()).accounts.revokeApiToken(id);
      ctx.output().result({ revoked: id }, () => `Revoked API token ${id}.`);
    });
}

/** `gatehouse accounts …`: local accounts for the web UI, and API tokens. */
export function registerAccountCommands(program: Command, ctx: CliContext): Command {
  const group = program.command('accounts').description('accounts for the web UI and API tokens for machines');
  group
    .command('create <username>')
    .description('create an account (prints a generated password unless --password-stdin)')
    .option('--admin', 'make it an admin (same as --role admin)')
    .option('--role <role>', 'admin, operator or viewer', 'viewer')
    .option('--password-stdin', 'read the password from stdin')
    .action(async (username: string, options: { admin?: boolean; role: string; passwordStdin?: boolean }) => {
      const role = options.admin ? 'admin' : parseRole(options.role);
      const generated = options.passwordStdin ? undefined : randomBytes(18).toString('base64url');
      const password = generated ?? (await readStdin(ctx));
      const account = await (await ctx.gatehouse()).accounts.createAccount({ username, password, role });
      ctx
        .output()
        .result({ account, ...(generated ? { password: generated } : {}) }, () => [
          `Created ${account.role} account '${account.username}'.`,
          ...(generated ? [`Password (shown once): ${generated}`] : []),
        ]);
    });
  group
    .command('list')
    .description('list accounts')
    .action(async () => {
      const list = await (await ctx.gatehouse()).accounts.listAccounts();
      ctx.output().result(list, () => formatTable([['USER', 'ROLE', 'STATE', 'LAST LOGIN'], ...list.map(accountRow)]));
    });
  group
    .command('update <username>')
    .description("change an account's role, state or password (ends its sessions)")
    .option('--role <role>', 'admin, operator or viewer')
    .option('--disable', 'disable the account')
    .option('--enable', 'enable the account')
    .option('--password-stdin', 'read a new password from stdin')
    .action(
      async (
        username: string,
        options: { role?: string; disable?: boolean; enable?: boolean; passwordStdin?: boolean },
      ) => {
        const account = await (await ctx.gatehouse()).accounts.updateAccount(username, {
          ...(options.role ? { role: parseRole(options.role) } : {}),
          ...(options.disable ? { disabled: true } : options.enable ? { disabled: false } : {}),
          ...(options.passwordStdin ? { password: await readStdin(ctx) } : {}),
        });
        ctx
          .output()
          .result(account, () => `Updated '${account.username}': ${accountRow(account).slice(1, 3).join(', ')}.`);
      },
    );
  group
    .command('remove <username>')
    .description('remove an account')
    .action(async (username: string) => {
      await (await ctx.gatehouse()).accounts.deleteAccount(username);
      ctx.output().result({ removed: username }, () => `Removed account '${username}'.`);
    });
  registerTokenCommands(group, ctx);
  return group;
}
