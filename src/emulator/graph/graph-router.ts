import type { DirectoryState } from '../directory-state.js';
import type { EmulatorRequest } from '../emulator-http.js';
import type { TenantIdentity } from '../tenant-identity.js';
import type { AccessTokenClaims } from '../token-signer.js';
import { type ApplicationDirectory, applicationRoute } from './application-routes.js';
import { deltaQuery } from './delta-query.js';
import type { DeltaSettings } from './delta-settings.js';
import { GraphContext, type RouteResult } from './graph-context.js';
import { GraphError, graphErrors } from './graph-error.js';
import { parseQuery } from './odata-query.js';
import {
  countObjects,
  getDirectoryObject,
  getObject,
  getOrganization,
  listMemberOf,
  listMembers,
  listObjects,
  memberFunctions,
} from './read-routes.js';
import { addMember, bindMembers, createUser, deleteUser, removeMember, updateUser } from './write-routes.js';

export interface RouteDeps {
  readonly dir: DirectoryState;
  readonly tenant: TenantIdentity;
  readonly delta: DeltaSettings;
  readonly canManagePrivileged: (clientId: string) => boolean;
  /** App registrations with their credentials (`/applications`), for expiry reads. */
  readonly applications?: ApplicationDirectory;
  /** Realism `strictInput`: refuse what Graph refuses ($filter properties, id format, UPN characters, $expand). */
  readonly strictInput?: () => boolean;
}

/** `/delta` is a shortcut for `/microsoft.graph.delta`, which the SDKs send (https://learn.microsoft.com/graph/delta-query-groups). */
const DELTA_SEGMENTS = new Set(['delta', 'delta()', 'microsoft.graph.delta', 'microsoft.graph.delta()']);
const MEMBER_FUNCTIONS = new Set(['checkMemberGroups', 'checkMemberObjects', 'getMemberGroups', 'getMemberObjects']);

/** Routes one authenticated request under /v1.0 (the path segments after the version). */
export function routeGraph(
  req: EmulatorRequest,
  segments: string[],
  claims: AccessTokenClaims,
  deps: RouteDeps,
): RouteResult {
  const ctx = new GraphContext(
    req,
    segments,
    parseQuery(req.url.searchParams),
    claims,
    deps.dir,
    deps.tenant,
    deps.delta,
    deps.canManagePrivileged(claims.appid),
    deps.strictInput?.() ?? false,
  );
  const [root, id, sub, fourth, fifth] = segments;
  const method = req.method;
  const path = req.url.pathname;
  if (root === 'organization' && !id && method === 'GET') return getOrganization(ctx);
  if (root === 'users' || root === 'groups') {
    const kind = root === 'users' ? 'user' : 'group';
    if (id === '$count' && !sub && method === 'GET') return countObjects(ctx, kind);
    if (!id) {
      if (method === 'GET') return listObjects(ctx, kind);
      if (method === 'POST' && root === 'users') return createUser(ctx);
      throw graphErrors.methodNotAllowed();
    }
    if (DELTA_SEGMENTS.has(id) && !sub) {
      if (method !== 'GET') throw graphErrors.methodNotAllowed();
      return deltaQuery(ctx, root);
    }
    if (!sub) {
      if (method === 'GET') return getObject(ctx, kind, id);
      if (root === 'users' && method === 'PATCH') return updateUser(ctx, id);
      if (root === 'users' && method === 'DELETE') return deleteUser(ctx, id);
      if (root === 'groups' && method === 'PATCH') return bindMembers(ctx, id);
      throw graphErrors.methodNotAllowed();
    }
    if (sub === 'memberOf' || sub === 'transitiveMemberOf') {
      if (method !== 'GET' || fifth) throw graphErrors.noRoute(path);
      return listMemberOf(ctx, root, id, sub === 'transitiveMemberOf', fourth);
    }
    if (MEMBER_FUNCTIONS.has(sub) && !fourth) {
      if (method !== 'POST') throw graphErrors.methodNotAllowed();
      return memberFunctions(ctx, root, id, sub);
    }
    if (root === 'groups' && (sub === 'members' || sub === 'transitiveMembers'))
      return groupMembers(ctx, id, sub, fourth, fifth);
  }
  if (root === 'directoryObjects' && id) {
    if (!sub && method === 'GET') return getDirectoryObject(ctx, id);
    if (sub && MEMBER_FUNCTIONS.has(sub) && method === 'POST') return memberFunctions(ctx, 'directoryObjects', id, sub);
    if ((sub === 'memberOf' || sub === 'transitiveMemberOf') && method === 'GET')
      return listMemberOf(ctx, 'directoryObjects', id, sub === 'transitiveMemberOf', fourth);
  }
  const application = deps.applications ? applicationRoute(ctx, segments, deps.applications) : undefined;
  if (application) return application;
  // Report the first segment Graph would not know (e.g. a `/v1.0` left inside a $batch URL).
  const known = ['organization', 'users', 'groups', 'directoryObjects'].includes(root ?? '');
  throw graphErrors.noRoute(known ? path : `/${root ?? ''}`);
}

function groupMembers(
  ctx: GraphContext,
  groupId: string,
  sub: string,
  fourth: string | undefined,
  fifth: string | undefined,
): RouteResult {
  const method = ctx.req.method;
  if (sub === 'members' && fourth === '$ref' && !fifth) {
    if (method === 'POST') return addMember(ctx, groupId);
    throw graphErrors.methodNotAllowed();
  }
  if (sub === 'members' && fourth && fifth === '$ref') {
    if (method === 'DELETE') return removeMember(ctx, groupId, fourth);
    throw graphErrors.methodNotAllowed();
  }
  if (method === 'DELETE' && sub === 'members' && fourth && !fourth.startsWith('microsoft.graph.')) {
    // Without /$ref this would address the member object itself; an SDK bug once deleted users this way
    // (facts C.6). Graph refuses it; so does the emulator, loudly.
    throw new GraphError(
      405,
      'Request_BadRequest',
      'Specified HTTP method is not allowed for the request target. To remove a member use DELETE /groups/{id}/members/{memberId}/$ref.',
    );
  }
  if (method !== 'GET' || fifth) throw graphErrors.noRoute(ctx.req.url.pathname);
  return listMembers(ctx, groupId, sub === 'transitiveMembers', fourth);
}
