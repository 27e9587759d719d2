import type { DirObject } from '../directory-state.js';
import { randomGuid } from '../seeded-ids.js';
import type { GraphContext, RouteResult } from './graph-context.js';
import { GraphError, graphErrors } from './graph-error.js';
import { checkSelect, shape } from './graph-shapes.js';
import { PERMISSIONS } from './permissions.js';
import { requireObject } from './read-routes.js';

const REQUIRED = 'Property value is required but is empty or missing.';
const NO_PRIVILEGED_WRITE = () => graphErrors.denied();

function requiredError(target: string): GraphError {
  return new GraphError(400, 'Request_BadRequest', REQUIRED, [
    { code: 'PropertyValueRequired', target, message: REQUIRED },
  ]);
}

/**
 * Strict input, Entra's character rules (https://learn.microsoft.com/entra/identity/hybrid/connect/plan-connect-userprincipalname
 * and the user resource): the UPN's user name takes only A–Z a–z 0–9 ' . - _ ! # ^ ~, no leading, trailing or double
 * dot; mailNickname is ASCII without spaces and @ ( ) \ [ ] " ; : < > ,.
 */
const UPN_USER = /^[A-Za-z0-9'._!#^~-]{1,64}$/;
const NICKNAME_FORBIDDEN = /[^\x21-\x7e]|[@()\\[\]";:<>,]/;

function invalidValue(target: string): GraphError {
  const message = `Property ${target} is invalid.`;
  return new GraphError(400, 'Request_BadRequest', message, [{ code: 'InvalidValue', target, message }]);
}

function checkCharacters(ctx: GraphContext, body: Record<string, unknown>): void {
  if (!ctx.strict) return;
  const upn = body.userPrincipalName;
  if (typeof upn === 'string') {
    const user = upn.slice(0, upn.lastIndexOf('@'));
    if (!UPN_USER.test(user) || user.startsWith('.') || user.endsWith('.') || user.includes('..'))
      throw invalidValue('userPrincipalName');
  }
  const nickname = body.mailNickname;
  if (typeof nickname === 'string' && (nickname.length > 64 || NICKNAME_FORBIDDEN.test(nickname)))
    throw invalidValue('mailNickname');
}

function checkUpn(ctx: GraphContext, upn: unknown, selfIx?: number): string {
  if (typeof upn !== 'string' || !upn.includes('@')) throw requiredError('userPrincipalName');
  const domain = upn.slice(upn.lastIndexOf('@') + 1).toLowerCase();
  if (!ctx.tenant.verifiedDomains.some((d) => d.toLowerCase() === domain)) {
    const message =
      'The domain portion of the userPrincipalName property is invalid. You must use one of the verified domain names in your organization.';
    throw new GraphError(400, 'Request_BadRequest', message, [
      { code: 'InvalidValue', target: 'userPrincipalName', message },
    ]);
  }
  const existing = ctx.dir.find(upn, 'user');
  if (existing && existing.ix !== selfIx) {
    const message = 'Another object with the same value for property userPrincipalName already exists.';
    throw new GraphError(400, 'Request_BadRequest', message, [
      { code: 'ObjectConflict', target: 'userPrincipalName', message },
    ]);
  }
  return upn;
}

/** Entra's default policy: 8–256 characters and 3 of the 4 character classes. */
function checkPassword(password: unknown): void {
  if (typeof password !== 'string' || password.length === 0) throw requiredError('passwordProfile');
  const classes = [/[a-z]/, /[A-Z]/, /\d/, /[^a-zA-Z\d]/].filter((r) => r.test(password)).length;
  if (password.length < 8 || password.length > 256 || classes < 3)
    throw graphErrors.badRequest(
      'The specified password does not comply with password complexity requirements. Please provide a different password.',
    );
}

function checkProperties(body: Record<string, unknown>): void {
  const writable = ['passwordProfile'];
  for (const key of Object.keys(body)) {
    if (key.startsWith('@') || writable.includes(key) || key === 'id') continue;
    try {
      checkSelect('user', [key]);
    } catch {
      throw graphErrors.badRequest(`Property '${key}' does not exist on type 'microsoft.graph.user'.`);
    }
  }
}

/** POST /users: the five required fields (https://learn.microsoft.com/graph/api/user-post-users). */
export function createUser(ctx: GraphContext): RouteResult {
  ctx.require(PERMISSIONS.writeUsers);
  const body = ctx.jsonBody();
  checkProperties(body);
  if (typeof body.accountEnabled !== 'boolean') throw requiredError('accountEnabled');
  for (const field of ['displayName', 'mailNickname'] as const)
    if (typeof body[field] !== 'string' || !(body[field] as string).trim()) throw requiredError(field);
  const upn = checkUpn(ctx, body.userPrincipalName);
  checkCharacters(ctx, body);
  const profile = body.passwordProfile as Record<string, unknown> | undefined;
  if (!profile || typeof profile !== 'object') throw requiredError('passwordProfile');
  checkPassword(profile.password);
  const { passwordProfile: _secret, id: _id, ...props } = body;
  const id = randomGuid();
  const user = ctx.dir.add('user', id, {
    businessPhones: [],
    ...props,
    userPrincipalName: upn,
    createdDateTime: `${ctx.now.toISOString().slice(0, 19)}Z`,
    userType: 'Member',
  });
  return {
    status: 201,
    headers: { location: `${ctx.root}/directoryObjects/${id}/Microsoft.DirectoryServices.User` },
    body: { '@odata.context': `${ctx.root}/$metadata#users/$entity`, ...shape(user, undefined) },
  };
}

/** PATCH /users/{id} → 204. Only accountEnabled: User.EnableDisableAccount.All + User.Read.All suffice. */
export function updateUser(ctx: GraphContext, key: string): RouteResult {
  const body = ctx.jsonBody();
  const keys = Object.keys(body);
  ctx.require(
    keys.length === 1 && keys[0] === 'accountEnabled' ? PERMISSIONS.enableDisableUser : PERMISSIONS.writeUsers,
  );
  const user = requireObject(ctx, key, 'user');
  checkProperties(body);
  if ((user.privileged || 'passwordProfile' in body) && !ctx.canManagePrivileged) throw NO_PRIVILEGED_WRITE();
  if ('accountEnabled' in body && typeof body.accountEnabled !== 'boolean')
    throw graphErrors.badRequest("Invalid value specified for property 'accountEnabled' of resource 'User'.");
  if ('userPrincipalName' in body) checkUpn(ctx, body.userPrincipalName, user.ix);
  checkCharacters(ctx, body);
  const { passwordProfile: _secret, id: _id, ...props } = body;
  ctx.dir.update(user, props);
  return { status: 204 };
}

/** DELETE /users/{id} → 204, soft delete (delta reports `@removed: changed`). */
export function deleteUser(ctx: GraphContext, key: string): RouteResult {
  ctx.require(PERMISSIONS.deleteUsers);
  const user = requireObject(ctx, key, 'user');
  if (user.privileged && !ctx.canManagePrivileged) throw NO_PRIVILEGED_WRITE();
  ctx.dir.remove(user);
  return { status: 204 };
}

function checkMembershipWritable(ctx: GraphContext, group: DirObject): void {
  if (group.props.isAssignableToRole === true && !ctx.canManagePrivileged) throw graphErrors.denied();
  if (group.props.onPremisesSyncEnabled === true)
    throw graphErrors.badRequest(
      'Unable to update the specified properties for on-premises mastered Directory Sync objects or objects currently undergoing migration.',
    );
  const types = group.props.groupTypes;
  if (Array.isArray(types) && types.includes('DynamicMembership'))
    throw graphErrors.badRequest(
      'Insufficient privileges to complete the operation. Members of a dynamic group cannot be changed.',
    );
}

const ALREADY_MEMBER =
  "One or more added object references already exist for the following modified properties: 'members'.";

/** The member object an `@odata.id` reference names (404 when it does not exist). */
function referencedObject(ctx: GraphContext, ref: unknown): DirObject {
  const memberId =
    typeof ref === 'string'
      ? /\/(?:directoryObjects|users|groups|devices|servicePrincipals)\/([^/?#]+)\/?$/i.exec(ref)?.[1]
      : undefined;
  if (!memberId) throw graphErrors.badRequest(`Invalid object identifier '${typeof ref === 'string' ? ref : ''}'.`);
  return requireObject(ctx, decodeURIComponent(memberId));
}

function checkCandidate(ctx: GraphContext, group: DirObject, member: DirObject): void {
  const types = group.props.groupTypes;
  if (member.kind === 'group' && Array.isArray(types) && types.includes('Unified'))
    throw graphErrors.badRequest('Microsoft 365 groups cannot have groups as members.');
  if (member.ix === group.ix || (member.kind === 'group' && ctx.dir.transitiveMembers(member.ix).includes(group.ix)))
    throw graphErrors.badRequest('A group cannot be a member of itself, directly or through nested groups.');
}

/** POST /groups/{id}/members/$ref {"@odata.id": ".../directoryObjects/{memberId}"} → 204. */
export function addMember(ctx: GraphContext, groupId: string): RouteResult {
  ctx.require(PERMISSIONS.writeMembers);
  const group = requireObject(ctx, groupId, 'group');
  const ref = ctx.jsonBody()['@odata.id'];
  checkMembershipWritable(ctx, group);
  const member = referencedObject(ctx, ref);
  checkCandidate(ctx, group, member);
  if (!ctx.dir.addMember(group, member.ix)) throw graphErrors.badRequest(ALREADY_MEMBER);
  return { status: 204 };
}

/**
 * PATCH /groups/{id} {"members@odata.bind": [≤ 20 refs]} → 204, all or nothing (facts C.6). Only member binding is
 * emulated; other group properties are not writable here.
 */
export function bindMembers(ctx: GraphContext, groupId: string): RouteResult {
  ctx.require(PERMISSIONS.writeMembers);
  const group = requireObject(ctx, groupId, 'group');
  const body = ctx.jsonBody();
  const refs = body['members@odata.bind'];
  if (!Array.isArray(refs) || Object.keys(body).length !== 1)
    throw graphErrors.badRequest('Only members@odata.bind is supported on PATCH /groups/{id} by the emulator.');
  if (refs.length > 20)
    throw graphErrors.badRequest('The maximum number of members that can be added in a single request is 20.');
  checkMembershipWritable(ctx, group);
  const members = refs.map((ref) => referencedObject(ctx, ref));
  for (const member of members) {
    checkCandidate(ctx, group, member);
    if (ctx.dir.isMember(group, member.ix)) throw graphErrors.badRequest(ALREADY_MEMBER);
  }
  for (const member of members) ctx.dir.addMember(group, member.ix);
  return { status: 204 };
}

/** DELETE /groups/{id}/members/{memberId}/$ref → 204; 404 when not a member. */
export function removeMember(ctx: GraphContext, groupId: string, memberId: string): RouteResult {
  ctx.require(PERMISSIONS.writeMembers);
  const group = requireObject(ctx, groupId, 'group');
  checkMembershipWritable(ctx, group);
  const member = ctx.dir.byObjectId(memberId);
  if (!member || !ctx.dir.removeMember(group, member.ix)) throw graphErrors.notFound(memberId);
  return { status: 204 };
}
