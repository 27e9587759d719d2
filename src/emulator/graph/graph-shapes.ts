import { type DirObject, type ObjectKind, ODATA_TYPE } from '../directory-state.js';
import { GraphError } from './graph-error.js';

/** Properties GET /users returns without `$select` (https://learn.microsoft.com/graph/api/user-list). */
export const USER_DEFAULT_PROPERTIES = [
  'businessPhones',
  'displayName',
  'givenName',
  'jobTitle',
  'mail',
  'mobilePhone',
  'officeLocation',
  'preferredLanguage',
  'surname',
  'userPrincipalName',
  'id',
] as const;

const USER_PROPERTIES = new Set<string>([
  ...USER_DEFAULT_PROPERTIES,
  'accountEnabled',
  'city',
  'companyName',
  'country',
  'createdDateTime',
  'deletedDateTime',
  'department',
  'employeeId',
  'employeeType',
  'mailNickname',
  'onPremisesImmutableId',
  'onPremisesSyncEnabled',
  'otherMails',
  'passwordPolicies',
  'postalCode',
  'proxyAddresses',
  'state',
  'streetAddress',
  'usageLocation',
  'userType',
  'manager',
]);

export const GROUP_DEFAULT_PROPERTIES = [
  'id',
  'deletedDateTime',
  'classification',
  'createdDateTime',
  'description',
  'displayName',
  'expirationDateTime',
  'groupTypes',
  'isAssignableToRole',
  'mail',
  'mailEnabled',
  'mailNickname',
  'membershipRule',
  'membershipRuleProcessingState',
  'onPremisesDomainName',
  'onPremisesLastSyncDateTime',
  'onPremisesNetBiosName',
  'onPremisesSamAccountName',
  'onPremisesSecurityIdentifier',
  'onPremisesSyncEnabled',
  'preferredDataLocation',
  'preferredLanguage',
  'proxyAddresses',
  'renewedDateTime',
  'resourceBehaviorOptions',
  'resourceProvisioningOptions',
  'securityEnabled',
  'securityIdentifier',
  'theme',
  'visibility',
] as const;

const GROUP_PROPERTIES = new Set<string>([...GROUP_DEFAULT_PROPERTIES, 'members']);
const DEVICE_PROPERTIES = [
  'id',
  'accountEnabled',
  'deviceId',
  'displayName',
  'operatingSystem',
  'operatingSystemVersion',
];
const SP_PROPERTIES = ['id', 'accountEnabled', 'appId', 'displayName', 'servicePrincipalType'];

const ENTITY: Record<ObjectKind, string> = {
  user: 'microsoft.graph.user',
  group: 'microsoft.graph.group',
  device: 'microsoft.graph.device',
  servicePrincipal: 'microsoft.graph.servicePrincipal',
};

/**
 * Properties `$filter` may name under strict input (the emulator's subset of those the resource pages mark
 * "Supports $filter"); anything else is 400 Request_UnsupportedQuery, as Graph answers.
 */
export function filterableProperties(kind: ObjectKind): ReadonlySet<string> {
  if (kind === 'user') return new Set([...USER_PROPERTIES].filter((p) => p !== 'manager' && p !== 'passwordPolicies'));
  if (kind === 'group') return new Set([...GROUP_PROPERTIES].filter((p) => p !== 'members' && p !== 'theme'));
  return new Set(kind === 'device' ? DEVICE_PROPERTIES : SP_PROPERTIES);
}

/** Validates `$select` against the type, as Graph does (unknown property → 400). */
export function checkSelect(kind: 'user' | 'group', select: string[] | undefined): void {
  if (!select) return;
  const known = kind === 'user' ? USER_PROPERTIES : GROUP_PROPERTIES;
  for (const name of select) {
    if (!known.has(name))
      throw new GraphError(
        400,
        'Request_BadRequest',
        `Could not find a property named '${name}' on type '${ENTITY[kind]}'.`,
      );
  }
}

function defaults(kind: ObjectKind): readonly string[] {
  if (kind === 'user') return USER_DEFAULT_PROPERTIES;
  if (kind === 'group') return GROUP_DEFAULT_PROPERTIES;
  return kind === 'device' ? DEVICE_PROPERTIES : SP_PROPERTIES;
}

/**
 * The Graph JSON of an object: the selected (or default) properties, `null` for unset ones, `id` always.
 * `withType` adds `@odata.type` (collections of directoryObjects: members, memberOf).
 */
export function shape(
  obj: DirObject,
  select: readonly string[] | undefined,
  withType = false,
): Record<string, unknown> {
  const out: Record<string, unknown> = withType ? { '@odata.type': ODATA_TYPE[obj.kind] } : {};
  const names = select ?? defaults(obj.kind);
  for (const name of names) {
    if (name === 'members' || name === 'manager') continue;
    out[name] = name === 'id' ? obj.id : (obj.props[name] ?? null);
  }
  out.id = obj.id;
  return out;
}
