import { Type } from '@fastify/type-provider-typebox';

/** `GET /api/v1/connections/{name}/permissions`: the shape of product.md section 9.3. */
export const PermissionPlanSchema = Type.Object({
  connection: Type.String(),
  clientId: Type.String(),
  capabilities: Type.Array(Type.String()),
  permissions: Type.Array(
    Type.Object({
      value: Type.String({ description: 'The application permission, e.g. User.Read.All.' }),
      id: Type.String({ description: 'Its app role id on Microsoft Graph (the same in every tenant).' }),
      type: Type.Literal('Role'),
      granted: Type.Boolean({ description: 'The token of the last connection test carried it.' }),
      neededBy: Type.Array(Type.String()),
    }),
  ),
  requiredResourceAccess: Type.Array(
    Type.Object({
      resourceAppId: Type.String(),
      resourceAccess: Type.Array(Type.Object({ id: Type.String(), type: Type.Literal('Role') })),
    }),
  ),
  adminConsentUrl: Type.Union([Type.String(), Type.Null()]),
  commands: Type.Object({ azureCli: Type.Array(Type.String()), powershell: Type.Array(Type.String()) }),
});
