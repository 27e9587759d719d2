import { createHash } from 'node:crypto';
import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { AppError } from '../core/errors.js';
import type { DirectoryGroup, DirectoryUser } from '../directory/directory-model.js';
import type {
  DirectorySource,
  GroupChange,
  MemberChange,
  SourceCounters,
  SourcePage,
  SyncStream,
  UserChange,
} from '../sync/ports.js';
import type { GraphClient } from './graph-client.js';
import { diffGraphStats } from './graph-stats.js';

/** Changing these lists changes the fingerprint, which forces a new full round (delta tokens encode `$select`). */
export const USER_SELECT = 'id,userPrincipalName,displayName,mail,givenName,surname,jobTitle,department,accountEnabled';
export const GROUP_SELECT = 'id,displayName,description,mailEnabled,securityEnabled,groupTypes,members';

/** Ask for the largest pages the service gives (facts C.3a: delta caps at ~200 objects, lists take $top up to 999). */
const PAGE_HEADERS = { Prefer: 'odata.maxpagesize=999' };

const Removed = Type.Object({ reason: Type.Optional(Type.String()) });
const Nullable = (t: ReturnType<typeof Type.String>) => Type.Optional(Type.Union([t, Type.Null()]));

const UserItem = Compile(
  Type.Object({
    id: Type.String(),
    '@removed': Type.Optional(Removed),
    userPrincipalName: Nullable(Type.String()),
    displayName: Nullable(Type.String()),
    mail: Nullable(Type.String()),
    givenName: Nullable(Type.String()),
    surname: Nullable(Type.String()),
    jobTitle: Nullable(Type.String()),
    department: Nullable(Type.String()),
    accountEnabled: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
  }),
);

const GroupItem = Compile(
  Type.Object({
    id: Type.String(),
    '@removed': Type.Optional(Removed),
    displayName: Nullable(Type.String()),
    description: Nullable(Type.String()),
    mailEnabled: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    securityEnabled: Type.Optional(Type.Union([Type.Boolean(), Type.Null()])),
    groupTypes: Type.Optional(Type.Union([Type.Array(Type.String()), Type.Null()])),
    'members@delta': Type.Optional(
      Type.Array(
        Type.Object({
          id: Type.String(),
          '@odata.type': Type.Optional(Type.String()),
          '@removed': Type.Optional(Removed),
        }),
      ),
    ),
  }),
);

function invalid(what: string): AppError {
  return new AppError('GRAPH_INVALID_RESPONSE', { message: `Microsoft Graph sent a ${what} gatehouse cannot read.` });
}

function removedReason(removed: { reason?: string }): 'changed' | 'deleted' {
  return removed.reason === 'deleted' ? 'deleted' : 'changed';
}

export function parseUser(item: unknown): UserChange {
  if (!UserItem.Check(item)) throw invalid('user');
  if (item['@removed']) return { kind: 'removed', id: item.id, reason: removedReason(item['@removed']) };
  if (!item.userPrincipalName) throw invalid('user without userPrincipalName');
  const user: DirectoryUser = {
    id: item.id,
    userPrincipalName: item.userPrincipalName,
    displayName: item.displayName ?? null,
    mail: item.mail ?? null,
    givenName: item.givenName ?? null,
    surname: item.surname ?? null,
    jobTitle: item.jobTitle ?? null,
    department: item.department ?? null,
    // Graph omits properties that were never set; an account is enabled unless it says otherwise.
    accountEnabled: item.accountEnabled !== false,
  };
  return { kind: 'upsert', user };
}

const MEMBER_TYPES: Record<string, MemberChange['type']> = {
  '#microsoft.graph.user': 'user',
  '#microsoft.graph.group': 'group',
};

export function parseGroup(item: unknown): GroupChange {
  if (!GroupItem.Check(item)) throw invalid('group');
  if (item['@removed']) return { kind: 'removed', id: item.id, reason: removedReason(item['@removed']) };
  // Devices, service principals, contacts and other member types are not part of the local directory.
  const members: MemberChange[] = [];
  for (const m of item['members@delta'] ?? []) {
    const type = MEMBER_TYPES[m['@odata.type'] ?? ''];
    if (type) members.push({ id: m.id, type, removed: m['@removed'] !== undefined });
  }
  if (typeof item.displayName !== 'string') return { kind: 'upsert', id: item.id, members };
  const group: DirectoryGroup = {
    id: item.id,
    displayName: item.displayName,
    description: item.description ?? null,
    mailEnabled: item.mailEnabled === true,
    securityEnabled: item.securityEnabled === true,
    groupTypes: item.groupTypes ?? [],
  };
  return { kind: 'upsert', id: item.id, group, members };
}

export interface GraphDirectorySourceOptions {
  /**
   * How a full users round reads: `list` takes a `$deltatoken=latest` link first and then pages `/users` with
   * `$top=999` (about 5x fewer requests than delta pages of ~200), `delta` walks `/users/delta` (default `list`).
   */
  usersFullRound?: 'list' | 'delta';
}

/** The sync's DirectorySource on Microsoft Graph delta queries (facts C.3, C.3a). */
export function createGraphDirectorySource(
  graph: GraphClient,
  options: GraphDirectorySourceOptions = {},
): DirectorySource {
  const before = graph.stats();
  const usersFullRound = options.usersFullRound ?? 'list';

  async function* pagesOf<C>(link: string, parse: (item: unknown) => C, signal?: AbortSignal) {
    for await (const page of graph.pages(link, { headers: PAGE_HEADERS, ...(signal ? { signal } : {}) })) {
      const out: SourcePage<C> = { changes: page.value.map(parse) };
      if (page.nextLink) out.nextLink = page.nextLink;
      if (page.deltaLink) out.deltaLink = page.deltaLink;
      yield out;
    }
  }

  async function latestDeltaLink(path: string, signal?: AbortSignal): Promise<string> {
    for await (const page of graph.pages(path, signal ? { signal } : {})) {
      if (page.deltaLink) return page.deltaLink;
    }
    throw invalid('delta response without a deltaLink');
  }

  return {
    selectionFingerprint: createHash('sha256')
      .update(`${USER_SELECT}|${GROUP_SELECT}|${usersFullRound}`)
      .digest('hex')
      .slice(0, 16),
    async startFullRound(stream: SyncStream, signal?: AbortSignal) {
      if (stream === 'groups') return { link: `/groups/delta?$select=${GROUP_SELECT}` };
      if (usersFullRound === 'delta') return { link: `/users/delta?$select=${USER_SELECT}` };
      const deltaLink = await latestDeltaLink(`/users/delta?$select=${USER_SELECT}&$deltatoken=latest`, signal);
      return { link: `/users?$select=${USER_SELECT}&$top=999`, deltaLink };
    },
    userPages: (link, signal) => pagesOf(link, parseUser, signal),
    groupPages: (link, signal) => pagesOf(link, parseGroup, signal),
    counters(): SourceCounters {
      const d = diffGraphStats(graph.stats(), before);
      return { requests: d.requests, retries: d.retries, throttled: d.throttled, resourceUnits: d.resourceUnits };
    },
  };
}
