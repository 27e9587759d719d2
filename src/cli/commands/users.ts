import type { Command } from 'commander';
import type { User } from '../../actions/graph-objects.js';
import { AppError } from '../../core/errors.js';
import type { CliContext } from '../cli-context.js';
import { collect, parseParamOption } from '../parse-parameters.js';
import { shownValue } from '../shown-value.js';
import { runAction } from './action.js';

/** `--property KEY=VALUE`: strings, except accountEnabled (true/false) and businessPhones (one number, or empty). */
function parseProperties(pairs: readonly string[] = []): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const pair of pairs) {
    const { key, value } = parseParamOption(pair);
    if (key === 'accountEnabled') {
      if (value !== 'true' && value !== 'false') {
        throw new AppError('USAGE_ERROR', {
          message: `--property accountEnabled=${shownValue(value)}: use true or false.`,
        });
      }
      properties[key] = value === 'true';
    } else if (key === 'businessPhones') properties[key] = value === '' ? [] : [value];
    else properties[key] = value;
  }
  return properties;
}

function userLines(user: User & { password?: string }): string[] {
  const lines = [
    `id:                ${user.id}`,
    `userPrincipalName: ${user.userPrincipalName}`,
    `displayName:       ${user.displayName ?? ''}`,
    `accountEnabled:    ${user.accountEnabled ?? ''}`,
  ];
  for (const key of ['mail', 'jobTitle', 'department'] as const) {
    if (user[key]) lines.push(`${`${key}:`.padEnd(19)}${user[key]}`);
  }
  if (user.password) lines.push('', `Generated password (shown once, store it now): ${user.password}`);
  return lines;
}

/** `gatehouse users get|create|update|disable|enable|delete` (product.md section 4). */
export function registerUserCommands(program: Command, ctx: CliContext): Command {
  const group = program
    .command('users')
    .description('read, create, change, disable, enable and delete users; reset passwords');

  group
    .command('get')
    .description('show one user')
    .argument('<name>', 'connection name')
    .argument('<user>', 'object id or userPrincipalName')
    .action(async (name: string, user: string) => {
      const output = (await runAction(ctx, name, 'user.get', { user })) as User;
      ctx.output().result(output, () => userLines(output));
    });

  group
    .command('create')
    .description('create a user (a strong password is generated and shown once unless --password is given)')
    .argument('<name>', 'connection name')
    .requiredOption('--upn <upn>', 'userPrincipalName (name@verified-domain)')
    .requiredOption('--display-name <text>', 'display name')
    .option('--mail-nickname <nickname>', 'mail alias (default: the UPN part before @)')
    .option('--password <password>', 'initial password (default: generated)')
    .option('--disabled', 'create the account disabled')
    .option('--property <KEY=VALUE>', 'another profile property, e.g. department=Sales (repeatable)', collect)
    .action(
      async (
        name: string,
        options: {
          upn: string;
          displayName: string;
          mailNickname?: string;
          password?: string;
          disabled?: boolean;
          property?: string[];
        },
      ) => {
        const properties = parseProperties(options.property);
        const input = {
          userPrincipalName: options.upn,
          displayName: options.displayName,
          ...(options.mailNickname ? { mailNickname: options.mailNickname } : {}),
          ...(options.password ? { password: options.password } : {}),
          ...(options.disabled ? { accountEnabled: false } : {}),
          ...(Object.keys(properties).length > 0 ? { properties } : {}),
        };
        const output = (await runAction(ctx, name, 'user.create', input)) as User & { password?: string };
        ctx.output().result(output, () => [`Created user ${output.userPrincipalName}.`, ...userLines(output)]);
      },
    );

  group
    .command('update')
    .description('change profile properties of a user')
    .argument('<name>', 'connection name')
    .argument('<user>', 'object id or userPrincipalName')
    .requiredOption('--property <KEY=VALUE>', 'a property to set, e.g. jobTitle=Engineer (repeatable)', collect)
    .action(async (name: string, user: string, options: { property: string[] }) => {
      const properties = parseProperties(options.property);
      const output = (await runAction(ctx, name, 'user.update', { user, properties })) as User;
      ctx.output().result(output, () => [`Updated user ${output.userPrincipalName}.`, ...userLines(output)]);
    });

  for (const [verb, past] of [
    ['disable', 'disabled'],
    ['enable', 'enabled'],
  ] as const) {
    group
      .command(verb)
      .description(`${verb} a user account (succeeds when it already is ${past})`)
      .argument('<name>', 'connection name')
      .argument('<user>', 'object id or userPrincipalName')
      .action(async (name: string, user: string) => {
        const output = (await runAction(ctx, name, `user.${verb}`, { user })) as { user: User; changed: boolean };
        const upn = output.user.userPrincipalName;
        ctx
          .output()
          .result(output, () =>
            output.changed ? `User ${upn} ${past}.` : `User ${upn} was already ${past}; nothing changed.`,
          );
      });
  }

  group
    .command('delete')
    .description('delete a user (restorable from Deleted users for 30 days)')
    .argument('<name>', 'connection name')
    .argument('<user>', 'object id or userPrincipalName')
    .action(async (name: string, user: string) => {
      const output = (await runAction(ctx, name, 'user.delete', { user })) as { userPrincipalName: string };
      ctx.output().result(output, () => `Deleted user ${output.userPrincipalName}.`);
    });

  group
    .command('reset-password')
    .description('set a new password (generated and shown once unless --password is given); changed at next sign-in')
    .argument('<name>', 'connection name')
    .argument('<user>', 'object id or userPrincipalName')
    .option('--password <password>', 'the new password (default: generated)')
    .option('--no-force-change', 'do not make the user change it at the next sign-in')
    .action(async (name: string, user: string, options: { password?: string; forceChange: boolean }) => {
      const output = (await runAction(ctx, name, 'user.resetPassword', {
        user,
        ...(options.password === undefined ? {} : { password: options.password }),
        forceChangePasswordNextSignIn: options.forceChange,
      })) as { userPrincipalName: string; password?: string };
      ctx
        .output()
        .result(output, () => [
          `Reset the password of ${output.userPrincipalName}.`,
          ...(output.password ? [`password  ${output.password}   (shown once; copy it now)`] : []),
        ]);
    });
  return group;
}
