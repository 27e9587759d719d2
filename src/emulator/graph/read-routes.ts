import type { DirObject } from '../directory-state.js';
import { castKind, collectionPage } from './collection-page.js';
import type { GraphContext, RouteResult } from './graph-context.js';
import { GraphError, graphErrors } from './graph-error.js';
import { checkSelect, filterableProperties, shape } from './graph-shapes.js';
import { compileFilter, compileSearch, type Predicate } from './odata-filter.js';
import { isEventual } from './odata-query.js';
import { PERMISSIONS } from './permissions.js';

/** GET /users and GET /groups with $select, $top, $filter, $search (+ ConsistencyLevel), $count. */
export function listObjects(ctx: GraphContext, kind: 'user' | 'group'): RouteResult {
  ctx.require(kind === 'user' ? PERMISSIONS.readUsers : PERMISSIONS.readGroups);
  checkSelect(kind, ctx.query.select);
  const advanced = isEventual(ctx.req.headers) && ctx.query.count;
  if (ctx.query.orderby && ctx.query.filter && !advanced)
    throw graphErrors.unsupportedQuery('Sorting not supported for current query.');
  const predicates: Predicate[] = [];
  if (ctx.query.filter)
    predicates.push(compileFilter(ctx.query.filter, advanced, ctx.strict ? filterableProperties(kind) : undefined));
  if (ctx.query.search !== undefined) {
    const fields =
      kind === 'user'
        ? ['displayName', 'mail', 'userPrincipalName', 'givenName', 'surname']
        : ['displayName', 'mail', 'description'];
    predicates.push(compileSearch(ctx.query.search, isEventual(ctx.req.headers), fields));
  }
  return collectionPage(ctx, {
    source: ctx.query.orderby
      ? orderedSource(ctx, kind, ctx.query.orderby)
      : kind === 'user'
        ? ctx.dir.users
        : ctx.dir.groups,
    context: kind === 'user' ? 'users' : 'groups',
    predicate: predicates.length > 0 ? (p, id) => predicates.every((f) => f(p, id)) : undefined,
  });
}

const SORTABLE: Record<'user' | 'group', readonly string[]> = {
  user: ['displayName', 'userPrincipalName'],
  group: ['displayName'],
};
const sorted = new WeakMap<object, { key: string; source: number[] }>();

/**
 * `$orderby=displayName [asc|desc]` (users also by userPrincipalName), case-insensitive as the directory sorts.
 * The sorted index is kept until the directory changes, so paging a million users sorts once.
 */
function orderedSource(ctx: GraphContext, kind: 'user' | 'group', orderby: string): number[] {
  const match = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/i.exec(orderby);
  const prop = match?.[1];
  if (!prop || !SORTABLE[kind].includes(prop))
    throw graphErrors.unsupportedQuery('Sorting not supported for current query.');
  const desc = match?.[2]?.toLowerCase() === 'desc';
  const key = `${kind}:${prop}:${desc}:${ctx.dir.changes.position}:${ctx.dir.objects.length}`;
  const cached = sorted.get(ctx.dir);
  if (cached?.key === key) return cached.source;
  const base = kind === 'user' ? ctx.dir.users : ctx.dir.groups;
  const keys = new Map(base.map((ix) => [ix, String(ctx.dir.objects[ix]?.props[prop] ?? '').toLowerCase()]));
  const source = [...base].sort((a, b) => {
    const ka = keys.get(a) as string;
    const kb = keys.get(b) as string;
    return (ka < kb ? -1 : ka > kb ? 1 : a - b) * (desc ? -1 : 1);
  });
  sorted.set(ctx.dir, { key, source });
  return source;
}

/** GET /users/$count (text/plain): an advanced query, so only with `ConsistencyLevel: eventual` (facts C.9). */
export function countObjects(ctx: GraphContext, kind: 'user' | 'group'): RouteResult {
  ctx.require(kind === 'user' ? PERMISSIONS.readUsers : PERMISSIONS.readGroups);
  if (!isEventual(ctx.req.headers))
    throw graphErrors.unsupportedQuery(
      "Count is not currently supported. Add the 'ConsistencyLevel: eventual' header to use $count.",
    );
  const source = kind === 'user' ? ctx.dir.users : ctx.dir.groups;
  const predicate = ctx.query.filter
    ? compileFilter(ctx.query.filter, true, ctx.strict ? filterableProperties(kind) : undefined)
    : undefined;
  let count = 0;
  for (const ix of source) {
    const obj = ctx.dir.objects[ix];
    if (obj?.state === 'active' && ctx.dir.isVisible(obj) && (!predicate || predicate(obj.props, obj.id))) count++;
  }
  return { status: 200, body: count, headers: { 'content-type': 'text/plain' } };
}

/** GET /users/{id | userPrincipalName} and GET /groups/{id}. */
export function getObject(ctx: GraphContext, kind: 'user' | 'group', key: string): RouteResult {
  ctx.require(kind === 'user' ? PERMISSIONS.readUsers : PERMISSIONS.readGroups);
  checkSelect(kind, ctx.query.select);
  const obj = requireObject(ctx, key, kind);
  const selectSuffix = ctx.query.select ? `(${ctx.query.select.join(',')})` : '';
  return {
    status: 200,
    body: {
      '@odata.context': `${ctx.root}/$metadata#${kind}s${selectSuffix}/$entity`,
      ...shape(obj, ctx.query.select),
      ...expanded(ctx, obj),
    },
  };
}

/**
 * Strict input: `$expand=members` on a group returns at most 20 members (https://learn.microsoft.com/graph/api/group-list-members
 * and query-parameters "$expand … returns up to 20 objects"); any other `$expand` is refused.
 */
function expanded(ctx: GraphContext, obj: DirObject): Record<string, unknown> {
  const expand = ctx.query.expand;
  if (!ctx.strict || expand === undefined) return {};
  const name = expand.split('(')[0]?.trim();
  if (obj.kind !== 'group' || name !== 'members')
    throw graphErrors.badRequest(`Could not find a navigation property named '${name}' that can be expanded.`);
  const members = ctx.dir
    .visibleMembers(obj)
    .map((ix) => ctx.dir.objects[ix] as DirObject)
    .filter((m) => m.state === 'active' && ctx.dir.isVisible(m))
    .slice(0, 20)
    .map((m) => shape(m, ['id', 'displayName'], true));
  return { members };
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function requireObject(ctx: GraphContext, key: string, kind?: DirObject['kind']): DirObject {
  // Strict input: groups and directory objects are addressed by GUID only (users also by userPrincipalName).
  if (ctx.strict && kind !== 'user' && !GUID.test(key))
    throw graphErrors.badRequest(`Invalid object identifier '${key}'.`);
  const obj = kind === 'group' ? ctx.dir.find(key, 'group') : ctx.dir.find(key, kind);
  // Replication lag: an object created a moment ago is not there yet for other requests.
  if (!obj || !ctx.dir.isVisible(obj)) throw graphErrors.notFound(key);
  return obj;
}

/** GET /groups/{id}/members|transitiveMembers[/microsoft.graph.user]. */
export function listMembers(
  ctx: GraphContext,
  groupId: string,
  transitive: boolean,
  cast: string | undefined,
): RouteResult {
  ctx.require(PERMISSIONS.readGroups);
  const group = requireObject(ctx, groupId, 'group');
  const kind = castKind(cast);
  const source = transitive ? ctx.dir.transitiveMembers(group.ix) : ctx.dir.visibleMembers(group);
  const predicate = ctx.query.filter
    ? compileFilter(ctx.query.filter, isEventual(ctx.req.headers) && ctx.query.count)
    : undefined;
  return collectionPage(ctx, {
    source,
    context: kind ? `${kind}s` : 'directoryObjects',
    predicate,
    withType: true,
    kindFilter: kind,
  });
}

/** GET /users|groups/{id}/memberOf|transitiveMemberOf[/microsoft.graph.group]. */
export function listMemberOf(
  ctx: GraphContext,
  owner: 'users' | 'groups' | 'directoryObjects',
  id: string,
  transitive: boolean,
  cast: string | undefined,
): RouteResult {
  ctx.require(ownerRequirement(owner));
  const obj = requireObject(ctx, id, owner === 'users' ? 'user' : owner === 'groups' ? 'group' : undefined);
  const kind = castKind(cast);
  const source = transitive ? ctx.dir.visibleTransitiveMemberOf(obj.ix) : [...ctx.dir.visibleMemberOf(obj.ix)];
  return collectionPage(ctx, {
    source,
    context: kind ? `${kind}s` : 'directoryObjects',
    withType: true,
    kindFilter: kind,
  });
}

function ownerRequirement(owner: 'users' | 'groups' | 'directoryObjects') {
  if (owner === 'directoryObjects') return PERMISSIONS.directoryRead;
  return owner === 'users' ? PERMISSIONS.userMembership : PERMISSIONS.readGroups;
}

/**
 * POST …/checkMemberGroups {groupIds ≤ 20}, checkMemberObjects {ids ≤ 20}, getMemberGroups / getMemberObjects
 * {securityEnabledOnly} (≤ 11,000 results). Transitive.
 */
export function memberFunctions(
  ctx: GraphContext,
  owner: 'users' | 'groups' | 'directoryObjects',
  id: string,
  fn: string,
): RouteResult {
  ctx.require(ownerRequirement(owner));
  const obj = requireObject(ctx, id, owner === 'users' ? 'user' : owner === 'groups' ? 'group' : undefined);
  const body = ctx.jsonBody();
  const groups = ctx.dir.visibleTransitiveMemberOf(obj.ix).map((ix) => ctx.dir.objects[ix] as DirObject);
  const context = `${ctx.root}/$metadata#Collection(Edm.String)`;
  if (fn === 'checkMemberGroups' || fn === 'checkMemberObjects') {
    const field = fn === 'checkMemberGroups' ? 'groupIds' : 'ids';
    const ids = body[field];
    if (!Array.isArray(ids) || ids.some((v) => typeof v !== 'string'))
      throw graphErrors.badRequest(`Invalid value specified for property '${field}' of resource 'DirectoryObject'.`);
    if (ids.length > 20)
      throw new GraphError(
        400,
        'Request_BadRequest',
        `The number of elements in '${field}' exceeds the maximum of 20.`,
      );
    const mine = new Set(groups.map((g) => g.id.toLowerCase()));
    return {
      status: 200,
      body: { '@odata.context': context, value: (ids as string[]).filter((g) => mine.has(g.toLowerCase())) },
    };
  }
  const securityOnly = body.securityEnabledOnly;
  if (typeof securityOnly !== 'boolean')
    throw graphErrors.badRequest("Property 'securityEnabledOnly' is required but is empty or missing.");
  const value = groups.filter((g) => !securityOnly || g.props.securityEnabled === true).map((g) => g.id);
  if (value.length > 11_000)
    throw new GraphError(
      400,
      'Directory_ResultSizeLimitExceeded',
      'Request processing failed: the result size limit of 11000 has been exceeded.',
    );
  return { status: 200, body: { '@odata.context': context, value } };
}

/** GET /directoryObjects/{id}: any kind, with its @odata.type. */
export function getDirectoryObject(ctx: GraphContext, id: string): RouteResult {
  ctx.require(PERMISSIONS.directoryRead);
  const obj = requireObject(ctx, id);
  return {
    status: 200,
    body: { '@odata.context': `${ctx.root}/$metadata#directoryObjects/$entity`, ...shape(obj, ctx.query.select, true) },
  };
}

/** GET /organization: the tenant (gatehouse's doctor may use it to show the tenant's name). */
export function getOrganization(ctx: GraphContext): RouteResult {
  ctx.require(PERMISSIONS.readOrganization);
  return {
    status: 200,
    body: {
      '@odata.context': `${ctx.root}/$metadata#organization`,
      value: [
        {
          id: ctx.tenant.id,
          displayName: ctx.tenant.displayName,
          verifiedDomains: ctx.tenant.verifiedDomains.map((name, i) => ({
            capabilities: 'Email, OfficeCommunicationsOnline',
            isDefault: i === 0,
            isInitial: name.endsWith('.onmicrosoft.com'),
            name,
            type: 'Managed',
          })),
        },
      ],
    },
  };
}
