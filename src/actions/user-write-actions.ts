import { Type } from 'typebox';
import { AppError, isAppError } from '../core/errors.js';
import { defineAction } from './action.js';
import { parseUser, USER_PROFILE_PROPERTIES, type User, UserObject } from './graph-objects.js';
import { generatePassword } from './password-generator.js';
import { DELETE_USERS, ENABLE_DISABLE_USERS, RESET_PASSWORDS, WRITE_USERS } from './permissions.js';
import type { ActionConnection, LocalDirectoryUpdates } from './ports.js';
import { getUser, notFoundAs } from './resolve-objects.js';

const UserRef = Type.String({ minLength: 1, description: 'Object id or userPrincipalName.' });

/** Properties `user.update` (and `user.create`'s `properties`) may set. */
const ProfileProperties = Type.Object(
  {
    ...Object.fromEntries(USER_PROFILE_PROPERTIES.map((p) => [p, Type.Optional(Type.String())])),
    businessPhones: Type.Optional(Type.Array(Type.String(), { maxItems: 1 })),
    accountEnabled: Type.Optional(Type.Boolean()),
    userPrincipalName: Type.Optional(Type.String({ minLength: 3 })),
  },
  { additionalProperties: false, minProperties: 1, description: 'Graph user properties to set.' },
);

async function refreshed(connection: ActionConnection, directory: LocalDirectoryUpdates, user: string): Promise<User> {
  const current = await getUser(connection.graph, user);
  await directory.userChanged(connection.id, current);
  return current;
}

/** mailNickname from the UPN's local part, reduced to the characters Graph allows there. */
function nicknameFrom(userPrincipalName: string): string {
  const local = userPrincipalName.split('@')[0] ?? '';
  const cleaned = local.replace(/[^A-Za-z0-9._-]/g, '').slice(0, 64);
  return cleaned.length > 0 ? cleaned : 'user';
}

function explainConflict(error: unknown, input: { userPrincipalName: string; mailNickname?: string }): unknown {
  if (!isAppError(error) || error.code !== 'GRAPH_CONFLICT') return error;
  const property = typeof error.details.property === 'string' ? error.details.property : 'userPrincipalName';
  const value = property === 'mailNickname' ? input.mailNickname : input.userPrincipalName;
  return new AppError('GRAPH_CONFLICT', {
    message: `Another object already has ${property} '${value ?? ''}'.`,
    hint: `Choose another ${property}; \`gatehouse users get NAME ${input.userPrincipalName}\` shows the existing user.`,
    uiHint: `Choose another ${property}; search for '${input.userPrincipalName}' on the Identities page to see the existing user.`,
    details: { ...error.details, property },
    cause: error,
  });
}

export const userCreate = defineAction({
  name: 'user.create',
  summary: 'Create a user; a strong password is generated when none is given and returned once.',
  write: true,
  permissions: WRITE_USERS,
  input: Type.Object(
    {
      userPrincipalName: Type.String({
        minLength: 3,
        pattern: '^[^@\\s]+@[^@\\s]+$',
        description: 'name@verified-domain',
      }),
      displayName: Type.String({ minLength: 1, maxLength: 256 }),
      mailNickname: Type.Optional(
        Type.String({ minLength: 1, maxLength: 64, description: 'Default: the UPN local part.' }),
      ),
      password: Type.Optional(Type.String({ minLength: 8, maxLength: 256, description: 'Default: generated.' })),
      accountEnabled: Type.Optional(Type.Boolean({ description: 'Default true.' })),
      forceChangePasswordNextSignIn: Type.Optional(Type.Boolean({ description: 'Default true.' })),
      properties: Type.Optional(ProfileProperties),
    },
    { additionalProperties: false },
  ),
  output: Type.Intersect([
    UserObject,
    Type.Object({
      password: Type.Optional(Type.String({ description: 'Only when gatehouse generated it; shown this once.' })),
    }),
  ]),
  auditOf: (input) => ({
    target: input.userPrincipalName,
    details: { passwordGenerated: input.password === undefined },
  }),
  async run({ connection, directory }, input) {
    const password = input.password ?? generatePassword();
    const mailNickname = input.mailNickname ?? nicknameFrom(input.userPrincipalName);
    const accountEnabled = input.accountEnabled ?? true;
    let created: User;
    try {
      const response = await connection.graph.request('POST', '/users', {
        body: {
          ...input.properties,
          accountEnabled,
          displayName: input.displayName,
          mailNickname,
          userPrincipalName: input.userPrincipalName,
          passwordProfile: { password, forceChangePasswordNextSignIn: input.forceChangePasswordNextSignIn ?? true },
        },
      });
      // Graph answers with its default property set; what we set ourselves fills in the rest (without a re-read,
      // which replication delay may answer with 404 right after a create).
      created = { ...input.properties, ...parseUser(response.body), mailNickname, accountEnabled };
    } catch (error) {
      throw explainConflict(error, { userPrincipalName: input.userPrincipalName, mailNickname });
    }
    await directory.userChanged(connection.id, created);
    return input.password === undefined ? { ...created, password } : created;
  },
});

export const userUpdate = defineAction({
  name: 'user.update',
  summary: 'Change profile properties of a user (displayName, jobTitle, department, …).',
  write: true,
  permissions: WRITE_USERS,
  input: Type.Object({ user: UserRef, properties: ProfileProperties }, { additionalProperties: false }),
  output: UserObject,
  auditOf: (input) => ({ target: input.user, details: { properties: Object.keys(input.properties) } }),
  async run({ connection, directory }, input) {
    const target = await getUser(connection.graph, input.user);
    try {
      await connection.graph.request('PATCH', `/users/${target.id}`, { body: input.properties });
    } catch (error) {
      throw explainConflict(notFoundAs(error, `User '${input.user}' does not exist in the tenant.`), {
        userPrincipalName: String(input.properties.userPrincipalName ?? target.userPrincipalName),
      });
    }
    return refreshed(connection, directory, target.id);
  },
});

function setEnabled(name: 'user.enable' | 'user.disable', enabled: boolean) {
  return defineAction({
    name,
    summary: enabled
      ? 'Enable a user account (sign-in allowed again); succeeds unchanged when it is already enabled.'
      : 'Disable a user account (sign-in blocked); succeeds unchanged when it is already disabled.',
    write: true,
    permissions: ENABLE_DISABLE_USERS,
    input: Type.Object({ user: UserRef }, { additionalProperties: false }),
    output: Type.Object({
      user: UserObject,
      changed: Type.Boolean({ description: 'False when the account was already as asked.' }),
    }),
    auditOf: (input, output) => ({ target: input.user, details: output ? { changed: output.changed } : {} }),
    async run({ connection, directory }, input) {
      const before = await getUser(connection.graph, input.user);
      if (before.accountEnabled === enabled) {
        await directory.userChanged(connection.id, before);
        return { user: before, changed: false };
      }
      await connection.graph.request('PATCH', `/users/${before.id}`, { body: { accountEnabled: enabled } });
      const user: User = { ...before, accountEnabled: enabled };
      await directory.userChanged(connection.id, user);
      return { user, changed: true };
    },
  });
}

export const userDisable = setEnabled('user.disable', false);
export const userEnable = setEnabled('user.enable', true);

export const userDelete = defineAction({
  name: 'user.delete',
  summary: 'Delete a user (Entra keeps it restorable in Deleted users for 30 days).',
  write: true,
  permissions: DELETE_USERS,
  input: Type.Object({ user: UserRef }, { additionalProperties: false }),
  output: Type.Object({ id: Type.String(), userPrincipalName: Type.String(), deleted: Type.Literal(true) }),
  auditOf: (input) => ({ target: input.user }),
  async run({ connection, directory }, input) {
    const target = await getUser(connection.graph, input.user);
    try {
      await connection.graph.request('DELETE', `/users/${target.id}`);
    } catch (error) {
      throw notFoundAs(error, `User '${input.user}' does not exist in the tenant.`);
    }
    await directory.userDeleted(connection.id, target.id);
    return { id: target.id, userPrincipalName: target.userPrincipalName, deleted: true as const };
  },
});

export const userResetPassword = defineAction({
  name: 'user.resetPassword',
  summary:
    'Set a new password for a user (generated when none is given, returned once); the user must change it at next sign-in by default.',
  write: true,
  permissions: RESET_PASSWORDS,
  refusedDespitePermissions: {
    message: 'resetting a password app-only also needs a directory role held by the app.',
    hint: "Assign the app the User Administrator role (Privileged Authentication Administrator to reset an administrator's password) under Microsoft Entra ID > Roles and administrators, or reset the password in the Azure portal.",
  },
  input: Type.Object(
    {
      user: UserRef,
      password: Type.Optional(Type.String({ minLength: 8, maxLength: 256, description: 'Default: generated.' })),
      forceChangePasswordNextSignIn: Type.Optional(Type.Boolean({ description: 'Default true.' })),
    },
    { additionalProperties: false },
  ),
  output: Type.Object({
    id: Type.String(),
    userPrincipalName: Type.String(),
    password: Type.Optional(Type.String({ description: 'Only when gatehouse generated it; shown this once.' })),
  }),
  // Never the password: only whether gatehouse generated it.
  auditOf: (input) => ({ target: input.user, details: { passwordGenerated: input.password === undefined } }),
  async run({ connection }, input) {
    const target = await getUser(connection.graph, input.user);
    const password = input.password ?? generatePassword();
    try {
      // https://learn.microsoft.com/graph/api/user-update (example: update the passwordProfile and reset the password)
      await connection.graph.request('PATCH', `/users/${target.id}`, {
        body: {
          passwordProfile: { password, forceChangePasswordNextSignIn: input.forceChangePasswordNextSignIn ?? true },
        },
      });
    } catch (error) {
      throw notFoundAs(error, `User '${input.user}' does not exist in the tenant.`);
    }
    return {
      id: target.id,
      userPrincipalName: target.userPrincipalName,
      ...(input.password === undefined ? { password } : {}),
    };
  },
});
