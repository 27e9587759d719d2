import { type FastifyPluginAsyncTypebox, Type } from '@fastify/type-provider-typebox';
import type { DirectoryGroup, DirectoryUser } from '../../directory/directory-model.js';
import { auditOrigin } from '../request-audit.js';
import type { RouteDeps } from '../server-deps.js';
import { ConnectionName } from './connection-schemas.js';

const Paging = Type.Object({
  search: Type.Optional(Type.String({ maxLength: 200 })),
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000 })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000_000 })),
});
const UserSchema = Type.Object(
  {
    id: Type.String(),
    userPrincipalName: Type.String(),
    displayName: Type.Union([Type.String(), Type.Null()]),
    mail: Type.Union([Type.String(), Type.Null()]),
    accountEnabled: Type.Boolean(),
    deleted: Type.Optional(
      Type.Boolean({ description: 'Soft-deleted in Entra ID: kept for a restore, a member of nothing meanwhile.' }),
    ),
  },
  { additionalProperties: true },
);
const GroupSchema = Type.Object(
  { id: Type.String(), displayName: Type.String(), description: Type.Union([Type.String(), Type.Null()]) },
  { additionalProperties: true },
);
const MemberSchema = Type.Object({
  id: Type.String(),
  type: Type.Union([Type.Literal('user'), Type.Literal('group')]),
  displayName: Type.Union([Type.String(), Type.Null()]),
  userPrincipalName: Type.Optional(Type.String()),
});
const MembershipSchema = Type.Object({
  member: Type.Boolean(),
  path: Type.Array(Type.Object({ id: Type.String(), displayName: Type.String() })),
  source: Type.String(),
  syncedAt: Type.Optional(Type.String()),
});

/** The local directory of a connection: users, groups, members (direct or nested) and the membership check. */
export function directoryRoutes(deps: RouteDeps): FastifyPluginAsyncTypebox {
  const { connections, directory, directoryReader: reader, actions } = deps.services;
  const connectionId = async (name: string) => (await connections.get(name)).id;
  return async (app) => {
    const tags = ['directory'];
    const named = { params: ConnectionName, tags };
    app.get(
      '/directory/:name/users',
      {
        config: { access: 'viewer' },
        schema: { ...named, querystring: Paging, response: { 200: Type.Array(UserSchema) } },
      },
      async (request) => reader.listUsers(await connectionId(request.params.name), request.query),
    );
    app.get(
      '/directory/:name/groups',
      {
        config: { access: 'viewer' },
        schema: { ...named, querystring: Paging, response: { 200: Type.Array(GroupSchema) } },
      },
      async (request) =>
        (await reader.listGroups(await connectionId(request.params.name), request.query)).map((g) => ({
          ...g,
          groupTypes: [...g.groupTypes],
        })),
    );
    app.get(
      '/directory/:name/counts',
      {
        config: { access: 'viewer' },
        schema: {
          ...named,
          response: {
            200: Type.Object({ users: Type.Integer(), groups: Type.Integer(), memberships: Type.Integer() }),
          },
        },
      },
      async (request) => reader.counts(await connectionId(request.params.name)),
    );
    app.get(
      '/directory/:name/groups/:group/members',
      {
        config: { access: 'viewer' },
        schema: {
          tags,
          params: Type.Object({ name: Type.String({ maxLength: 200 }), group: Type.String({ maxLength: 300 }) }),
          querystring: Type.Object({ transitive: Type.Optional(Type.Boolean()) }),
          response: { 200: Type.Array(MemberSchema) },
        },
      },
      async (request) => {
        const id = await connectionId(request.params.name);
        const group = await directory.resolveGroup(id, request.params.group);
        const links = await directory.members(id, group.id, request.query.transitive === true);
        const members = await Promise.all(
          links.map(async (link) => {
            const found: DirectoryUser | DirectoryGroup | undefined =
              link.memberType === 'user'
                ? await reader.getUser(id, link.memberId)
                : await reader.getGroup(id, link.memberId);
            return {
              id: link.memberId,
              type: link.memberType,
              displayName: found?.displayName ?? null,
              ...(found && 'userPrincipalName' in found ? { userPrincipalName: found.userPrincipalName } : {}),
            };
          }),
        );
        // Groups first, then by name: the order an administrator scans a member list in.
        return members.sort(
          (a, b) => a.type.localeCompare(b.type) || (a.displayName ?? '').localeCompare(b.displayName ?? ''),
        );
      },
    );
    app.get(
      '/directory/:name/membership',
      {
        config: { access: 'viewer' },
        schema: {
          ...named,
          querystring: Type.Object({
            user: Type.String({ minLength: 1, maxLength: 300 }),
            group: Type.String({ minLength: 1, maxLength: 300 }),
            live: Type.Optional(Type.Boolean()),
          }),
          response: { 200: MembershipSchema },
        },
      },
      async (request) => {
        const { actor, origin } = auditOrigin(request);
        const answer = await actions.run(request.params.name, 'membership.check', request.query, {
          name: actor,
          origin,
        });
        return answer as { member: boolean; path: { id: string; displayName: string }[]; source: string };
      },
    );
  };
}
