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
  /** Skip token only: split groups whose remaining members come later in the round ([position, member offset]). */
  d?: [number, number][];
  /** Where the round that issued this token started (null = an initial round): the next round may replay it. */
  w?: number | null;
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
    return page(ctx, [], { deltaLink: link(ctx, resource, '$deltatoken', { ...state, to: visibleEnd(ctx) }) });
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
    w: state.w ?? null,
    from: state.to,
    to: Math.max(state.to, visibleEnd(ctx)),
    c: 0,
    m: 0,
    n: 0,
    iat: ctx.now.getTime(),
  });
}

/** Where the change log ends for readers now: changes still replicating wait for a later round. */
function visibleEnd(ctx: GraphContext): number {
  return ctx.dir.changes.visiblePosition(ctx.now.getTime());
}

function startState(ctx: GraphContext, resource: Resource): DeltaState {
  const select = ctx.query.select ?? null;
  checkSelect(resource === 'users' ? 'user' : 'group', select ?? undefined);
  return {
    k: resource,
    s: select,
    f: parseIdFilter(ctx.query.filter),
    to: visibleEnd(ctx),
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
  const withMembers = kind === 'group' && (state.s?.includes('members') ?? ctx.delta.membersByDefault);
  const items =
    state.from === null || state.from === undefined
      ? undefined
      : itemsFor(ctx, kind, state.from, state.to, state.w ?? null);
  const length = items ? items.length : (state.k === 'users' ? ctx.dir.users : ctx.dir.groups).length;
  let c = state.c ?? 0;
  let m = state.m ?? 0;
  const n = state.n ?? 0;
  const deferred: [number, number][] = [...(state.d ?? [])];
  const value: Record<string, unknown>[] = [];
  const { emptyPageEveryNthPage: emptyEvery, repeatEveryNthPage: repeatEvery } = ctx.delta;
  const more = () => c < length || deferred.length > 0;
  const next = (): Omit<DeltaState, 'k' | 's' | 'f' | 'to' | 'iat' | 'e'> => ({
    c,
    m,
    n: n + 1,
    d: deferred.length > 0 ? deferred : undefined,
  });
  if (emptyEvery > 0 && n % emptyEvery === emptyEvery - 1 && more()) {
    return page(ctx, value, { nextLink: link(ctx, state.k, '$skiptoken', { ...state, ...next() }) });
  }
  if (repeatEvery > 0 && n > 0 && n % repeatEvery === 0 && m === 0 && c > 0) {
    const previous = entryAt(ctx, state, items, c - 1);
    if (previous) value.push(previous.entry);
  }
  let links = 0;
  const random = ctx.delta.random ?? Math.random;
  while (more() && value.length < objectCap) {
    // Interleaving: the rest of a split group comes back at a random later point of the round (or at its end).
    // Never first on a page while other objects remain, so the parts are never simply consecutive.
    const fromDeferred = deferred.length > 0 && (c >= length || (value.length > 0 && random() < 0.3));
    const [pos, offset] = fromDeferred ? (deferred.shift() as [number, number]) : [c, m];
    const found = entryAt(ctx, state, items, pos);
    if (!found) {
      if (!fromDeferred) {
        c++;
        m = 0;
      }
      continue;
    }
    const { entry, memberRefs } = found;
    if (withMembers && memberRefs.length > offset) {
      const room = memberCap - links;
      if (room <= 0) {
        if (fromDeferred) deferred.unshift([pos, offset]);
        break;
      }
      const take = Math.min(room, memberRefs.length - offset);
      entry['members@delta'] = memberRefs.slice(offset, offset + take).map((ref) => memberRef(ctx, ref));
      links += take;
      value.push(entry);
      if (offset + take < memberRefs.length) {
        if (ctx.delta.interleaveSplitGroups || fromDeferred) {
          deferred.push([pos, offset + take]);
          if (!fromDeferred) {
            c++;
            m = 0;
          }
        } else m = offset + take;
        break;
      }
    } else value.push(entry);
    if (!fromDeferred) {
      m = 0;
      c++;
    }
  }
  if (more()) return page(ctx, value, { nextLink: link(ctx, state.k, '$skiptoken', { ...state, ...next() }) });
  const done: DeltaState = {
    k: state.k,
    s: state.s,
    f: state.f,
    to: state.to,
    iat: state.iat,
    e: state.e,
    w: state.from ?? null,
  };
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
    if (!passesFilter(state, obj)) return undefined;
    if (obj.state !== 'active' && ctx.delta.removedInFirstRound) {
      // Graph may report objects deleted before the first round started (the client never saw them).
      const reason = obj.state === 'hardDeleted' ? 'deleted' : 'changed';
      return { entry: { id: obj.id, '@removed': { reason } }, memberRefs: [] };
    }
    if (obj.state !== 'active' || !ctx.dir.isVisible(obj)) return undefined;
    return { entry: deltaShape(ctx, obj, select), memberRefs: currentMembers(ctx, obj) };
  }
  const item = items[c] as DeltaItem;
  const obj = ctx.dir.objects[item.ix] as DirObject;
  if (!passesFilter(state, obj)) return undefined;
  if (item.removed) return { entry: { id: obj.id, '@removed': { reason: item.removed } }, memberRefs: [] };
  const tracksMembers = state.s?.includes('members') ?? ctx.delta.membersByDefault;
  const memberRefs: MemberRefs = item.full ? currentMembers(ctx, obj) : tracksMembers ? item.members : [];
  const propsSeen = state.s === null ? item.props.size > 0 : [...item.props].some((p) => state.s?.includes(p));
  if (!item.full && !propsSeen && memberRefs.length === 0) return undefined;
  // `Prefer: return=minimal` on a later round: only the properties that changed (facts C.3).
  if (!item.full && /return=minimal/i.test(ctx.req.headers.prefer ?? '')) {
    const changed = [...item.props].filter((p) => state.s === null || state.s.includes(p));
    return { entry: deltaShape(ctx, obj, changed), memberRefs };
  }
  return { entry: deltaShape(ctx, obj, select), memberRefs };
}

/** A delta entry: with realism `omitUnsetProperties`, never-set properties are left out, not sent as null. */
function deltaShape(ctx: GraphContext, obj: DirObject, select: readonly string[] | undefined): Record<string, unknown> {
  const entry = shape(obj, select);
  if (ctx.delta.omitUnsetProperties) {
    for (const key of Object.keys(entry)) if (key !== 'id' && obj.props[key] === undefined) delete entry[key];
  }
  return entry;
}

/** Membership references of a page, sliced lazily (a group may have 100,000 members). */
interface MemberRefs {
  readonly length: number;
  slice(start: number, end: number): readonly (readonly [number, boolean])[];
}

function currentMembers(ctx: GraphContext, obj: DirObject): MemberRefs {
  const members = ctx.dir.visibleMembers(obj);
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

function itemsFor(
  ctx: GraphContext,
  kind: 'user' | 'group',
  from: number,
  to: number,
  previousFrom: number | null,
): DeltaItem[] {
  let perDir = cache.get(ctx.dir);
  if (!perDir) {
    perDir = new Map();
    cache.set(ctx.dir, perDir);
  }
  const rate = ctx.delta.crossRoundReplayRate;
  const key = `${kind}:${from}:${to}:${rate > 0 ? previousFrom : ''}:${rate}`;
  let items = perDir.get(key);
  if (!items) {
    if (perDir.size > 64) perDir.clear();
    items = collapseChanges(ctx.dir, kind, from, to);
    if (rate > 0 && previousFrom !== null) items = withReplays(ctx, kind, items, previousFrom, from, rate);
    perDir.set(key, items);
  }
  return items;
}

/**
 * Cross-round replays: objects the previous round reported come again in this one (Graph: "the same object may be
 * returned more than once"). The choice is a hash of the object and the round, so every page of the round agrees.
 * A replay reports the object as it is now; a membership change is replayed only while it still holds.
 */
function withReplays(
  ctx: GraphContext,
  kind: 'user' | 'group',
  items: DeltaItem[],
  previousFrom: number,
  from: number,
  rate: number,
): DeltaItem[] {
  const present = new Set(items.map((i) => i.ix));
  const replays: DeltaItem[] = [];
  for (const item of collapseChanges(ctx.dir, kind, previousFrom, from)) {
    if (present.has(item.ix) || hashFraction(item.ix, from) >= rate) continue;
    const obj = ctx.dir.objects[item.ix] as DirObject;
    if (obj.state !== 'active') {
      if (item.removed) replays.push({ ...item, members: [] });
      continue;
    }
    if (item.removed) continue;
    const members = item.members.filter(([member, added]) => ctx.dir.isMember(obj, member) === added);
    replays.push({ ...item, members });
  }
  // Replays come first, as Graph repeats what the last round ended with.
  return [...replays, ...items];
}

function hashFraction(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(b + 0x27d4eb2f, 0xc2b2ae35);
  h ^= h >>> 15;
  h = Math.imul(h, 0x2c1b3c6d);
  h ^= h >>> 12;
  return (h >>> 0) / 4294967296;
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

/**
 * 410 Gone with a Location that starts a fresh round with the same query (facts C.3), or 400 `syncStateNotFound`
 * (realism `expiredDeltaToken`).
 */
function gone(ctx: GraphContext, state: DeltaState): RouteResult {
  if (ctx.delta.expiredAnswer === 'syncStateNotFound')
    // The answer for a token the service no longer knows (https://learn.microsoft.com/graph/delta-query-overview).
    throw new GraphError(400, 'syncStateNotFound', 'The sync state generation is not found. Please restart the sync.');
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
