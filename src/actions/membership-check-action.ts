import { Type } from 'typebox';
import { defineAction } from './action.js';
import { GroupRef } from './group-read-actions.js';
import { READ_USER_MEMBERSHIPS } from './permissions.js';

export const membershipCheck = defineAction({
  name: 'membership.check',
  summary: 'Is the user in the group, directly or through nested groups? From the local directory, or live from Graph.',
  write: false,
  permissions: READ_USER_MEMBERSHIPS,
  input: Type.Object(
    {
      user: Type.String({ minLength: 1, description: 'Object id or userPrincipalName.' }),
      group: GroupRef,
      live: Type.Optional(Type.Boolean({ description: 'Ask Graph instead of the local directory (default false).' })),
    },
    { additionalProperties: false },
  ),
  output: Type.Object({
    member: Type.Boolean(),
    path: Type.Array(Type.Object({ id: Type.String(), displayName: Type.String() }), {
      description: "From the user's direct group to the asked group.",
    }),
    source: Type.Union([Type.Literal('directory'), Type.Literal('live')]),
    syncedAt: Type.Optional(Type.String({ description: 'When the local directory was last synced.' })),
    notCaughtUp: Type.Optional(
      Type.String({
        description:
          'Live answers only: Graph says no while the local directory (updated by a recent write) says yes — Entra ID is eventually consistent and has not replicated the change yet.',
      }),
    ),
  }),
  auditOf: (input) => ({ target: `${input.user} in ${input.group}` }),
  async run({ connection, membership }, input) {
    const answer = await membership.check(connection.name, input.user, input.group, { live: input.live ?? false });
    // Right after a write, Graph's replicas may not show it yet while the local directory already does: say so.
    const local =
      answer.source === 'live' && !answer.member
        ? await membership.check(connection.name, input.user, input.group, { live: false }).catch(() => undefined)
        : undefined;
    return {
      member: answer.member,
      path: answer.path.map((step) => ({ id: step.id, displayName: step.displayName })),
      source: answer.source,
      ...(answer.syncedAt ? { syncedAt: answer.syncedAt } : {}),
      ...(local?.member
        ? {
            notCaughtUp:
              'Microsoft Graph does not show this membership yet, but the local directory (updated by a recent write) does: Entra ID is eventually consistent; ask again in a few seconds.',
          }
        : {}),
    };
  },
});
