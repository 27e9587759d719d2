import { Type } from '@fastify/type-provider-typebox';
import { ROLES } from '../../accounts/roles.js';

/** Schemas shared by several route plugins (OpenAPI shows them once per route). */
export const RoleSchema = Type.Union([Type.Literal(ROLES[0]), Type.Literal(ROLES[1]), Type.Literal(ROLES[2])], {
  description: 'admin (everything), operator (run syncs and actions, test connections, read), viewer (read).',
});

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String(),
      message: Type.String(),
      hint: Type.String(),
      requestId: Type.String(),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  },
  { description: 'Every error: a stable code (docs/errors.md), a message, what to do, and the request id.' },
);

export const Ok = Type.Object({ ok: Type.Boolean() });

export const AccountSchema = Type.Object({
  id: Type.String(),
  username: Type.String(),
  role: RoleSchema,
  disabled: Type.Boolean(),
  createdAt: Type.String({ format: 'date-time' }),
  lastLoginAt: Type.Optional(Type.String({ format: 'date-time' })),
});
