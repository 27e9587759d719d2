import { Type } from 'typebox';
import { defineAction } from './action.js';
import {
  DirectoryObjectRef,
  GROUP_SELECT,
  GroupObject,
  MEMBER_SELECT,
  type ObjectRef,
  parseCollection,
  parseGroup,
  toObjectRef,
} from './graph-objects.js';
import { odataString } from './object-ids.js';
import { fromCursor, toCursor } from './page-cursor.js';
import { READ_GROUPS } from './permissions.js';
import { getGroup, notFoundAs } from './resolve-objects.js';

export const GroupRef = Type.String({ minLength: 1, description: 'Object id or exact displayName.' });

export const groupList = defineAction({
  name: 'group.list',
  summary: 'List groups, optionally those whose displayName starts with a text; paged.',
  write: false,
  permissions: READ_GROUPS,
  input: Type.Object(
    {
      search: Type.Optional(Type.String({ minLength: 1, description: 'Prefix of the displayName.' })),
      top: Type.Optional(Type.Integer({ minimum: 1, maximum: 999, description: 'Page size (default 100).' })),
      cursor: Type.Optional(Type.String({ minLength: 1, description: 'The nextCursor of the previous page.' })),
    },
    { additionalProperties: false },
  ),
  output: Type.Object({ groups: Type.Array(GroupObject), nextCursor: Type.Optional(Type.String()) }),
  auditOf: () => ({}),
  async run({ connection }, input) {
    let path: string;
    if (input.cursor) path = fromCursor(input.cursor, '/groups');
    else {
      path = `/groups?$select=${GROUP_SELECT}&$top=${input.top ?? 100}`;
      if (input.search)
        path += `&$filter=${encodeURIComponent(`startswith(displayName,${odataString(input.search)})`)}`;
    }
    const page = parseCollection((await connection.graph.request('GET', path)).body);
    const nextCursor = toCursor(page.nextLink);
    return { groups: page.value.map(parseGroup), ...(nextCursor ? { nextCursor } : {}) };
  },
});

export const groupGet = defineAction({
  name: 'group.get',
  summary: 'Read one group by object id or exact displayName.',
  write: false,
  permissions: READ_GROUPS,
  input: Type.Object({ group: GroupRef }, { additionalProperties: false }),
  output: GroupObject,
  auditOf: (input) => ({ target: input.group }),
  run: ({ connection }, input) => getGroup(connection.graph, input.group),
});

export const groupMembers = defineAction({
  name: 'group.members',
  summary: "List a group's members: direct, or transitive (members of nested groups too).",
  write: false,
  permissions: READ_GROUPS,
  input: Type.Object(
    {
      group: GroupRef,
      transitive: Type.Optional(Type.Boolean({ description: 'Flatten nested groups (default false).' })),
    },
    { additionalProperties: false },
  ),
  output: Type.Object({
    group: Type.String({ description: 'The group object id.' }),
    transitive: Type.Boolean(),
    members: Type.Array(DirectoryObjectRef),
  }),
  auditOf: (input) => ({ target: input.group }),
  async run({ connection }, input) {
    const group = await getGroup(connection.graph, input.group);
    const relation = input.transitive ? 'transitiveMembers' : 'members';
    const members: ObjectRef[] = [];
    try {
      for await (const page of connection.graph.pages<Record<string, unknown>>(
        `/groups/${group.id}/${relation}?$select=${MEMBER_SELECT}&$top=999`,
      )) {
        members.push(...page.value.map(toObjectRef));
      }
    } catch (error) {
      throw notFoundAs(error, `Group '${input.group}' does not exist in the tenant.`);
    }
    return { group: group.id, transitive: input.transitive ?? false, members };
  },
});
