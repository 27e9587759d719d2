import { type DirObject, ODATA_TYPE } from '../directory-state.js';
import { collapseChanges, type DeltaItem } from './delta-changes.js';
import type { GraphContext, RouteResult } from './graph-context.js';
import { GraphError, graphErrors } from './graph-error.js';
import { checkSelect, shape } from './graph-shapes.js';
import { decodeToken, encodeToken, preferredPageSize } from './odata-query.js';
import { PERMISSIONS } from './permissions.js';

type Resource = 'users' | 'groups';

/** Round state carried by `$skiptoken` (mid-round) and `$deltatoken` (round done). Opaque to clients. */
interface DeltaState {
  k: Resource;
  /** $select, or null for the default property set. */
  s: string[] | null;
  /** $filter=id eq … ids, or null. */
  f: string[] | null;
  /** Delta token: the change-log position the next round starts at. Skip token: where this round's window ends. */
  to: number;
  /** Skip token only: window start (null = initial round, which walks current objects). */
  from?: number | null;
  /** Skip token only: cursor (object position / item index), member offset, page number. */
  c?: number;
  m?: number;
  n?: number;
  /** Issued at (ms) of the round's original delta token, and the expiry epoch. */
  iat: number;
  e: number;
}

const isState = (v: unknown): v is DeltaState => {
  const s = v as DeltaState;
  return !!s && (s.k === 'users' || s.k === 'groups') && typeof s.to === 'number' && typeof s.iat === 'number';
};

/**
 * GET /users/delta and /groups/delta (https://learn.microsoft.com/graph/delta-query-overview), with the real
 * service's paging (facts C.3a): ≤ 200 objects and ≤ 500 `members@delta` links per page (lowered by
 * `Prefer: odata.maxpagesize`), a big group's members split over consecutive pages, replays and empty pages, and
 * 410 Gone for expired tokens.
 */
export function deltaQuery(ctx: GraphContext, resource: Resource): RouteResult {
  ctx.require(resource === 'users' ? PERMISSIONS.userDelta : PERMISSIONS.readGroups);
  for (const option of ['top', 'orderby', 'expand', 'search'] as const) {
    if (ctx.query[option] !== undefined)
      throw graphErrors.unsupportedQuery(`The query parameter '$${option}' is not supported with delta queries.`);
  }
  const { skiptoken, deltatoken } = ctx.query;
  if (deltatoken?.toLowerCase() === 'latest') {
    const state = startState(ctx, resource);
    return page(ctx, [], { deltaLink: link(ctx, resource, '$deltatoken', { ...state, to: ctx.dir.changes.position }) });
  }
  const token = skiptoken ?? deltatoken;
  if (!token) return walk(ctx, { ...startState(ctx, resource), from: null, c: 0, m: 0, n: 0 });
  const state = decodeToken(token, isState);
  if (state.k !== resource) throw graphErrors.badRequest('The specified token is not valid for this resource.');
  if (state.e !== ctx.delta.epoch || ctx.now.getTime() - state.iat > ctx.delta.tokenLifetimeMs) return gone(ctx, state);
  if (skiptoken) return walk(ctx, state);
  // A delta token starts a new round over the changes since its position.
  return walk(ctx, {
    ...state,
    from: state.to,
    to: ctx.dir.changes.position,
    c: 0,
    m: 0,
    n: 0,
    iat: ctx.now.getTime(),
  });
}

function startState(ctx: GraphContext, resource: Resource): DeltaState {
  const select = ctx.query.select ?? null;
  checkSelect(resource === 'users' ? 'user' : 'group', select ?? undefined);
  return {
    k: resource,
    s: select,
    f: parseIdFilter(ctx.query.filter),
    to: ctx.dir.changes.position,
    iat: ctx.now.getTime(),
    e: ctx.delta.epoch,
  };
}

/** Delta supports only `id eq '…'` clauses joined by `or`, at most 50 (facts C.3). */
function parseIdFilter(filter: string | undefined): string[] | null {
  if (!filter) return null;
  const clauses = filter.split(/\s+or\s+/i);
  const ids = clauses.map((c) => /^\s*id\s+eq\s+'([^']+)'\s*$/i.exec(c)?.[1]?.toLowerCase());
  if (ids.some((id) => id === undefined))
    throw graphErrors.unsupportedQuery('Unsupported query: only id eq filters are supported on delta.');
  if (ids.length > 50) throw graphErrors.unsupportedQuery('Too many id filters; at most 50 are supported on delta.');
  return ids as string[];
}

function walk(ctx: GraphContext, state: DeltaState): RouteResult {
  const preferred = preferredPageSize(ctx.req.headers.prefer);
  const objectCap = Math.min(preferred ?? ctx.delta.objectCap, ctx.delta.objectCap);
  const memberCap = Math.min(preferred ?? ctx.delta.memberCap, ctx.delta.memberCap);
  const kind = state.k === 'users' ? 'user' : 'group';
  const withMembers = kind === 'group' && (state.s?.includes('members') ?? false);
  const items = state.from === null || state.from === undefined ? undefined : itemsFor(ctx, kind, state.from, state.to);
  const length = items ? items.length : (state.k === 'users' ? ctx.dir.users : ctx.dir.groups).length;
  let c = state.c ?? 0;
  let m = state.m ?? 0;
  const n = state.n ?? 0;
  const value: Record<string, unknown>[] = [];
  const { emptyPageEveryNthPage: emptyEvery, repeatEveryNthPage: repeatEvery } = ctx.delta;
  const more = () => c < length;
  if (emptyEvery > 0 && n % emptyEvery === emptyEvery - 1 && more()) {
    return page(ctx, value, { nextLink: link(ctx, state.k, '$skiptoken', { ...state, c, m, n: n + 1 }) });
  }
  if (repeatEvery > 0 && n > 0 && n % repeatEvery === 0 && m === 0 && c > 0) {
    const previous = entryAt(ctx, state, items, c - 1);
    if (previous) value.push(previous.entry);
  }
  let links = 0;
  while (more() && value.length < objectCap) {
    const next = entryAt(ctx, state, items, c);
    if (!next) {
      c++;
      continue;
    }
    const { entry, memberRefs } = next;
    if (withMembers && memberRefs.length > m) {
      const room = memberCap - links;
      if (room <= 0) break;
      const take = Math.min(room, memberRefs.length - m);
      entry['members@delta'] = memberRefs.slice(m, m + take).map((ref) => memberRef(ctx, ref));
      links += take;
      value.push(entry);
      if (m + take < memberRefs.length) {
        m += take;
        break;
      }
    } else value.push(entry);
    m = 0;
    c++;
  }
  if (more()) return page(ctx, value, { nextLink: link(ctx, state.k, '$skiptoken', { ...state, c, m, n: n + 1 }) });
  const done: DeltaState = { k: state.k, s: state.s, f: state.f, to: state.to, iat: state.iat, e: state.e };
  return page(ctx, value, { deltaLink: link(ctx, state.k, '$deltatoken', done) });
}

/** The entry for position `c`, or undefined when there is nothing to report there (inactive, filtered, unselected). */
function entryAt(
  ctx: GraphContext,
  state: DeltaState,
  items: DeltaItem[] | undefined,
  c: number,
): { entry: Record<string, unknown>; memberRefs: MemberRefs } | undefined {
  const select = state.s ?? undefined;
  if (!items) {
    const ix = (state.k === 'users' ? ctx.dir.users : ctx.dir.groups)[c] as number;
    const obj = ctx.dir.objects[ix] as DirObject;
    if (obj.state !== 'active' || !passesFilter(state, obj)) return undefined;
    return { entry: shape(obj, select), memberRefs: currentMembers(obj) };
  }
  const item = items[c] as DeltaItem;
  const obj = ctx.dir.objects[item.ix] as DirObject;
  if (!passesFilter(state, obj)) return undefined;
  if (item.removed) return { entry: { id: obj.id, '@removed': { reason: item.removed } }, memberRefs: [] };
  const tracksMembers = state.s?.includes('members') ?? false;
  const memberRefs: MemberRefs = item.full ? currentMembers(obj) : tracksMembers ? item.members : [];
  const propsSeen = state.s === null ? item.props.size > 0 : [...item.props].some((p) => state.s?.includes(p));
  if (!item.full && !propsSeen && memberRefs.length === 0) return undefined;
  // `Prefer: return=minimal` on a later round: only the properties that changed (facts C.3).
  if (!item.full && /return=minimal/i.test(ctx.req.headers.prefer ?? '')) {
    const changed = [...item.props].filter((p) => state.s === null || state.s.includes(p));
    return { entry: shape(obj, changed), memberRefs };
  }
  return { entry: shape(obj, select), memberRefs };
}

/** Membership references of a page, sliced lazily (a group may have 100,000 members). */
interface MemberRefs {
  readonly length: number;
  slice(start: number, end: number): readonly (readonly [number, boolean])[];
}

function currentMembers(obj: DirObject): MemberRefs {
  const members = obj.members ?? [];
  return { length: members.length, slice: (a, b) => members.slice(a, b).map((ix) => [ix, true] as const) };
}

function passesFilter(state: DeltaState, obj: DirObject): boolean {
  return state.f === null || state.f.includes(obj.id.toLowerCase());
}

function memberRef(ctx: GraphContext, [ix, present]: readonly [number, boolean]): Record<string, unknown> {
  const obj = ctx.dir.objects[ix] as DirObject;
  const ref: Record<string, unknown> = { '@odata.type': ODATA_TYPE[obj.kind], id: obj.id };
  if (!present) ref['@removed'] = { reason: 'deleted' };
  return ref;
}

/** Collapsing a window is O(changes); pages of one round share it. */
const cache = new WeakMap<object, Map<string, DeltaItem[]>>();

function itemsFor(ctx: GraphContext, kind: 'user' | 'group', from: number, to: number): DeltaItem[] {
  let perDir = cache.get(ctx.dir);
  if (!perDir) {
    perDir = new Map();
    cache.set(ctx.dir, perDir);
  }
  const key = `${kind}:${from}:${to}`;
  let items = perDir.get(key);
  if (!items) {
    if (perDir.size > 64) perDir.clear();
    items = collapseChanges(ctx.dir, kind, from, to);
    perDir.set(key, items);
  }
  return items;
}

function link(ctx: GraphContext, resource: Resource, name: '$skiptoken' | '$deltatoken', state: DeltaState): string {
  return `${ctx.root}/${resource}/delta?${name}=${encodeToken(state)}`;
}

function page(
  ctx: GraphContext,
  value: Record<string, unknown>[],
  links: { nextLink?: string; deltaLink?: string },
): RouteResult {
  const resource = ctx.segments[0] ?? 'users';
  const body: Record<string, unknown> = { '@odata.context': `${ctx.root}/$metadata#${resource}` };
  if (links.nextLink) body['@odata.nextLink'] = links.nextLink;
  body.value = value;
  if (links.deltaLink) body['@odata.deltaLink'] = links.deltaLink;
  return { status: 200, body };
}

/** 410 Gone with a Location that starts a fresh round with the same query (facts C.3). */
function gone(ctx: GraphContext, state: DeltaState): RouteResult {
  const params = new URLSearchParams();
  if (state.s) params.set('$select', state.s.join(','));
  if (state.f) params.set('$filter', state.f.map((id) => `id eq '${id}'`).join(' or '));
  const query = params.toString().replace(/%24/g, '$').replace(/%2C/gi, ',');
  const location = `${ctx.root}/${state.k}/delta${query ? `?${query}` : ''}`;
  throw new GraphError(
    410,
    'resyncRequired',
    'Resync required. Replace any local cached data with the data returned by the new delta request.',
    undefined,
    { location },
  );
}
