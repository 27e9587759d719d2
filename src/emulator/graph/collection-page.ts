import type { DirObject } from '../directory-state.js';
import type { GraphContext, RouteResult } from './graph-context.js';
import { GraphError } from './graph-error.js';
import { shape } from './graph-shapes.js';
import type { Predicate } from './odata-filter.js';
import { decodeToken, encodeToken, isEventual } from './odata-query.js';

interface ListState {
  p: number;
}

const isListState = (v: unknown): v is ListState => typeof (v as ListState)?.p === 'number';

export interface CollectionOptions {
  /** Object indexes in a stable order (creation order, member order). */
  source: readonly number[];
  /** `@odata.context` suffix, e.g. `users` or `directoryObjects`. */
  context: string;
  predicate?: Predicate;
  /** Add `@odata.type` to every item (collections of directoryObjects). */
  withType?: boolean;
  kindFilter?: DirObject['kind'];
}

/**
 * One page of a list endpoint: 100 items by default, `$top` up to 999, `$skiptoken` = an opaque position in the
 * source, absolute `@odata.nextLink` keeping the caller's query (https://learn.microsoft.com/graph/paging).
 * Walking by position makes a page O(page) even for a million users.
 */
export function collectionPage(ctx: GraphContext, options: CollectionOptions): RouteResult {
  const size = ctx.query.top ?? 100;
  const start = ctx.query.skiptoken ? decodeToken(ctx.query.skiptoken, isListState).p : 0;
  const { source, predicate, withType, kindFilter } = options;
  const accept = (obj: DirObject | undefined): obj is DirObject =>
    obj !== undefined &&
    obj.state === 'active' &&
    ctx.dir.isVisible(obj) &&
    (!kindFilter || obj.kind === kindFilter) &&
    (!predicate || predicate(obj.props, obj.id));
  const value: Record<string, unknown>[] = [];
  let pos = start;
  while (pos < source.length && value.length < size) {
    const obj = ctx.dir.objects[source[pos] as number];
    pos++;
    if (accept(obj)) value.push(shape(obj, ctx.query.select, withType));
  }
  const selectSuffix = ctx.query.select ? `(${ctx.query.select.join(',')})` : '';
  const body: Record<string, unknown> = { '@odata.context': `${ctx.root}/$metadata#${options.context}${selectSuffix}` };
  if (ctx.query.count) {
    if (!isEventual(ctx.req.headers)) {
      // Graph silently ignores $count without the header on most collections (facts C.9).
    } else {
      let count = 0;
      for (const ix of source) if (accept(ctx.dir.objects[ix])) count++;
      body['@odata.count'] = count;
    }
  }
  if (pos < source.length) body['@odata.nextLink'] = ctx.linkWith('$skiptoken', encodeToken({ p: pos }));
  body.value = value;
  return { status: 200, body };
}

/** Casts like `/members/microsoft.graph.user` (https://learn.microsoft.com/graph/api/group-list-members). */
export function castKind(segment: string | undefined): DirObject['kind'] | undefined {
  if (segment === undefined) return undefined;
  const kinds: Record<string, DirObject['kind']> = {
    'microsoft.graph.user': 'user',
    'microsoft.graph.group': 'group',
    'microsoft.graph.device': 'device',
    'microsoft.graph.serviceprincipal': 'servicePrincipal',
  };
  const kind = kinds[segment.toLowerCase()];
  if (!kind) throw new GraphError(400, 'BadRequest', `Resource not found for the segment '${segment}'.`);
  return kind;
}
