import { Type } from '@fastify/type-provider-typebox';

/** A parameter as the API shows it: plain values, or for secrets only metadata (never the value). */
export const ParameterViewSchema = Type.Union([
  Type.Object({ key: Type.String(), secret: Type.Literal(false), value: Type.String() }),
  Type.Object({
    key: Type.String(),
    secret: Type.Literal(true),
    set: Type.Literal(true),
    setAt: Type.String(),
    fingerprint: Type.String(),
    info: Type.Optional(Type.Record(Type.String(), Type.String())),
    enterAgain: Type.Optional(
      Type.Literal(true, {
        description:
          'The secret was entered for other hosts (AuthorityHost, GraphEndpoint or Cloud changed) or another connection: it is not sent until entered again.',
      }),
    ),
  }),
]);

export const CredentialExpirySchema = Type.Object(
  {
    expiresAt: Type.String(),
    source: Type.Union([Type.Literal('graph'), Type.Literal('certificate'), Type.Literal('SecretExpiresOn')]),
    credential: Type.Union([Type.Literal('secret'), Type.Literal('certificate')]),
    name: Type.Optional(Type.String()),
    keyId: Type.Optional(Type.String()),
  },
  { description: 'When the secret or certificate in use expires: read from Graph at the last test, or a fallback.' },
);

export const ConnectionViewSchema = Type.Object({
  id: Type.String(),
  name: Type.String(),
  type: Type.String(),
  version: Type.Integer(),
  createdAt: Type.String(),
  updatedAt: Type.String(),
  parameters: Type.Array(ParameterViewSchema),
  lastTest: Type.Optional(
    Type.Object({
      ok: Type.Boolean(),
      at: Type.String(),
      code: Type.Optional(Type.String()),
      message: Type.Optional(Type.String()),
      credentialExpiry: Type.Optional(CredentialExpirySchema),
    }),
  ),
  credentialExpiry: Type.Optional(CredentialExpirySchema),
  tokenState: Type.Optional(
    Type.Object({
      acquiredAt: Type.Optional(Type.String()),
      expiresAt: Type.Optional(Type.String()),
      roles: Type.Optional(Type.Array(Type.String())),
      lastErrorCode: Type.Optional(Type.String()),
      lastErrorAt: Type.Optional(Type.String()),
    }),
  ),
  lastSync: Type.Optional(Type.Object({ at: Type.String(), status: Type.String() })),
});

export const ConnectionChangeSchema = Type.Object({
  connection: ConnectionViewSchema,
  trimmed: Type.Array(Type.String(), { description: 'Keys whose values had surrounding spaces removed.' }),
  warnings: Type.Array(Type.String()),
});

export const ParameterInputSchema = Type.Object({
  key: Type.String({ maxLength: 100 }),
  value: Type.String({ maxLength: 20_000 }),
});

export const ConnectionTypeSchema = Type.Object({
  name: Type.String(),
  description: Type.String(),
  parameters: Type.Array(
    Type.Object({
      key: Type.String(),
      label: Type.String(),
      required: Type.Boolean(),
      secret: Type.Boolean(),
      hint: Type.String({ description: 'Where to find the value in the Azure portal.' }),
    }),
  ),
});

export const TestReportSchema = Type.Object({
  connection: Type.String(),
  ok: Type.Boolean(),
  testedAt: Type.Optional(Type.String()),
  checks: Type.Array(
    Type.Object({
      id: Type.String(),
      status: Type.Union([Type.Literal('pass'), Type.Literal('fail'), Type.Literal('warn'), Type.Literal('skip')]),
      code: Type.Optional(Type.String()),
      message: Type.String(),
      hint: Type.Optional(Type.String()),
      details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
    }),
  ),
  grantedRoles: Type.Array(Type.String()),
  capabilities: Type.Record(
    Type.String(),
    Type.Object({ ok: Type.Boolean(), missing: Type.Array(Type.String()) }, { additionalProperties: true }),
  ),
  tokenExpiresAt: Type.Optional(Type.String()),
  credentialExpiry: Type.Optional(CredentialExpirySchema),
});

export const ConnectionName = Type.Object({ name: Type.String({ minLength: 1, maxLength: 200 }) });
