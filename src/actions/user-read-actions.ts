import { Type } from 'typebox';
import { defineAction } from './action.js';
import {
  DirectoryObjectRef,
  parseCollection,
  parseUser,
  toObjectRef,
  USER_SELECT,
  UserObject,
} from './graph-objects.js';
import { odataString, userSegment } from './object-ids.js';
import { fromCursor, toCursor } from './page-cursor.js';
import { READ_USER_MEMBERSHIPS, READ_USERS } from './permissions.js';
import { getUser, notFoundAs } from './resolve-objects.js';

const UserRef = Type.String({ minLength: 1, description: 'Object id or userPrincipalName.' });

export const userGet = defineAction({
  name: 'user.get',
  summary: 'Read one user by object id or userPrincipalName.',
  write: false,
  permissions: READ_USERS,
  input: Type.Object({ user: UserRef }, { additionalProperties: false }),
  output: UserObject,
  auditOf: (input) => ({ target: input.user }),
  run: ({ connection }, input) => getUser(connection.graph, input.user),
});

export const userList = defineAction({
  name: 'user.list',
  summary: 'List users, optionally those whose displayName, userPrincipalName or mail starts with a text; paged.',
  write: false,
  permissions: READ_USERS,
  input: Type.Object(
    {
      search: Type.Optional(
        Type.String({ minLength: 1, description: 'Prefix of displayName, userPrincipalName or mail.' }),
      ),
      top: Type.Optional(Type.Integer({ minimum: 1, maximum: 999, description: 'Page size (default 100).' })),
      cursor: Type.Optional(Type.String({ minLength: 1, description: 'The nextCursor of the previous page.' })),
    },
    { additionalProperties: false },
  ),
  output: Type.Object({
    users: Type.Array(UserObject),
    nextCursor: Type.Optional(Type.String({ description: 'Pass it as `cursor` to read the next page.' })),
  }),
  auditOf: () => ({}),
  async run({ connection }, input) {
    let path: string;
    if (input.cursor) path = fromCursor(input.cursor, '/users');
    else {
      path = `/users?$select=${USER_SELECT}&$top=${input.top ?? 100}`;
      if (input.search) {
        const text = odataString(input.search);
        const filter = ['displayName', 'userPrincipalName', 'mail'].map((p) => `startswith(${p},${text})`).join(' or ');
        path += `&$filter=${encodeURIComponent(filter)}`;
      }
    }
    const page = parseCollection((await connection.graph.request('GET', path)).body);
    const nextCursor = toCursor(page.nextLink);
    return { users: page.value.map(parseUser), ...(nextCursor ? { nextCursor } : {}) };
  },
});

export const userGroups = defineAction({
  name: 'user.groups',
  summary: "List a user's groups: direct, or transitive (including groups reached through nested groups).",
  write: false,
  permissions: READ_USER_MEMBERSHIPS,
  input: Type.Object(
    {
      user: UserRef,
      transitive: Type.Optional(Type.Boolean({ description: 'Include nested groups (default false).' })),
    },
    { additionalProperties: false },
  ),
  output: Type.Object({ user: Type.String(), transitive: Type.Boolean(), groups: Type.Array(DirectoryObjectRef) }),
  auditOf: (input) => ({ target: input.user }),
  async run({ connection }, input) {
    const relation = input.transitive ? 'transitiveMemberOf' : 'memberOf';
    const groups = [];
    try {
      for await (const page of connection.graph.pages<Record<string, unknown>>(
        `/users/${userSegment(input.user)}/${relation}?$select=id,displayName`,
      )) {
        // memberOf also lists directory roles and administrative units: keep groups only.
        groups.push(...page.value.map(toObjectRef).filter((ref) => ref.type === 'group'));
      }
    } catch (error) {
      throw notFoundAs(error, `User '${input.user}' does not exist in the tenant.`);
    }
    return { user: input.user, transitive: input.transitive ?? false, groups };
  },
});
