import { type Static, Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { AppError } from '../core/errors.js';

/**
 * The user and group shapes actions return, with Graph's property names (product.md section 4). Parsed at the
 * boundary: Graph's answers are checked against these before they go anywhere.
 */
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Optional(Type.Union([schema, Type.Null()]));

/** Profile properties actions read and `user.update` may change (https://learn.microsoft.com/graph/api/user-update). */
export const USER_PROFILE_PROPERTIES = [
  'displayName',
  'givenName',
  'surname',
  'jobTitle',
  'department',
  'companyName',
  'officeLocation',
  'mobilePhone',
  'employeeId',
  'employeeType',
  'usageLocation',
  'preferredLanguage',
  'city',
  'state',
  'country',
  'streetAddress',
  'postalCode',
  'mailNickname',
  'mail',
] as const;

export const UserObject = Type.Object(
  {
    id: Type.String(),
    userPrincipalName: Type.String(),
    displayName: Nullable(Type.String()),
    accountEnabled: Nullable(Type.Boolean()),
    businessPhones: Type.Optional(Type.Array(Type.String())),
    onPremisesSyncEnabled: Nullable(Type.Boolean()),
    createdDateTime: Nullable(Type.String()),
    givenName: Nullable(Type.String()),
    surname: Nullable(Type.String()),
    jobTitle: Nullable(Type.String()),
    department: Nullable(Type.String()),
    companyName: Nullable(Type.String()),
    officeLocation: Nullable(Type.String()),
    mobilePhone: Nullable(Type.String()),
    employeeId: Nullable(Type.String()),
    employeeType: Nullable(Type.String()),
    usageLocation: Nullable(Type.String()),
    preferredLanguage: Nullable(Type.String()),
    city: Nullable(Type.String()),
    state: Nullable(Type.String()),
    country: Nullable(Type.String()),
    streetAddress: Nullable(Type.String()),
    postalCode: Nullable(Type.String()),
    mailNickname: Nullable(Type.String()),
    mail: Nullable(Type.String()),
  },
  { description: 'A user, with Microsoft Graph property names.' },
);

export const GroupObject = Type.Object(
  {
    id: Type.String(),
    displayName: Nullable(Type.String()),
    description: Nullable(Type.String()),
    mail: Nullable(Type.String()),
    mailEnabled: Nullable(Type.Boolean()),
    securityEnabled: Nullable(Type.Boolean()),
    groupTypes: Type.Optional(Type.Array(Type.String())),
    membershipRule: Nullable(Type.String()),
    isAssignableToRole: Nullable(Type.Boolean()),
    onPremisesSyncEnabled: Nullable(Type.Boolean()),
  },
  { description: 'A group, with Microsoft Graph property names.' },
);

/** A member or a membership: a user or a group, with the type Graph gave it. */
export const DirectoryObjectRef = Type.Object({
  id: Type.String(),
  type: Type.Union([Type.Literal('user'), Type.Literal('group'), Type.Literal('other')]),
  displayName: Nullable(Type.String()),
  userPrincipalName: Type.Optional(Type.String()),
});

export const USER_SELECT = [
  'id',
  'userPrincipalName',
  'accountEnabled',
  'businessPhones',
  'onPremisesSyncEnabled',
  'createdDateTime',
  ...USER_PROFILE_PROPERTIES,
].join(',');
export const GROUP_SELECT =
  'id,displayName,description,mail,mailEnabled,securityEnabled,groupTypes,membershipRule,isAssignableToRole,onPremisesSyncEnabled';
export const MEMBER_SELECT = 'id,displayName,userPrincipalName';

const UserCheck = Compile(UserObject);
const GroupCheck = Compile(GroupObject);
const Collection = Compile(
  Type.Object({
    value: Type.Array(Type.Record(Type.String(), Type.Unknown())),
    '@odata.nextLink': Type.Optional(Type.String()),
  }),
);

function invalid(what: string): AppError {
  return new AppError('GRAPH_INVALID_RESPONSE', { message: `Microsoft Graph returned ${what} gatehouse cannot read.` });
}

/** Keeps Graph's properties and drops OData annotations (`@odata.context`, `@odata.type`). */
function withoutAnnotations(value: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(value).filter(([key]) => !key.startsWith('@')));
}

export type User = Static<typeof UserObject>;
export type Group = Static<typeof GroupObject>;
export type ObjectRef = Static<typeof DirectoryObjectRef>;

export function parseUser(body: unknown): User {
  if (!UserCheck.Check(body)) throw invalid('a user');
  return withoutAnnotations(body) as User;
}

export function parseGroup(body: unknown): Group {
  if (!GroupCheck.Check(body)) throw invalid('a group');
  return withoutAnnotations(body) as Group;
}

export function parseCollection(body: unknown): { value: Record<string, unknown>[]; nextLink?: string } {
  if (!Collection.Check(body)) throw invalid('a collection');
  const nextLink = body['@odata.nextLink'];
  return nextLink === undefined ? { value: body.value } : { value: body.value, nextLink };
}

/** A member or membership item; `@odata.type` tells users from groups (devices, service principals are `other`). */
export function toObjectRef(item: Record<string, unknown>): ObjectRef {
  if (typeof item.id !== 'string') throw invalid('a directory object without an id');
  const odataType = item['@odata.type'];
  const type =
    odataType === '#microsoft.graph.user' ? 'user' : odataType === '#microsoft.graph.group' ? 'group' : 'other';
  const ref: ObjectRef = {
    id: item.id,
    type,
    displayName: typeof item.displayName === 'string' ? item.displayName : null,
  };
  if (typeof item.userPrincipalName === 'string') ref.userPrincipalName = item.userPrincipalName;
  return ref;
}
