import { type Clock, systemClock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import type {
  DirectoryChanges,
  DirectoryGroup,
  DirectoryUser,
  MembershipAnswer,
  MembershipLink,
} from './directory-model.js';
import { MembershipIndex } from './membership-index.js';
import type { DirectoryStore, DirectoryWriter } from './ports.js';

export interface DirectoryServiceOptions {
  store: DirectoryStore;
  clock?: Clock;
  /** When the connection was last synced (ISO), for answers' `syncedAt`; undefined = never. */
  lastSyncedAt?: (connectionId: string) => Promise<string | undefined>;
  /**
   * How long a loaded index is trusted before the store's version is checked again (default 1000 ms): another
   * process (a CLI write, a second instance) may have changed the directory.
   */
  freshnessMs?: number;
}

/** Writes bigger than this drop the cached index (reloaded on the next check) instead of patching it. */
const PATCH_LIMIT = 2_000;

interface CachedIndex {
  index: MembershipIndex;
  version: number;
  checkedAtMs: number;
  /** A check read it since it was built: only such an index is rebuilt ahead of the next check. */
  used: boolean;
}

function changeSize(c: DirectoryChanges): number {
  return (
    (c.upsertUsers?.length ?? 0) +
    (c.removeUserIds?.length ?? 0) +
    (c.softDeleteUserIds?.length ?? 0) +
    (c.upsertGroups?.length ?? 0) +
    (c.removeGroupIds?.length ?? 0) +
    (c.addMemberships?.length ?? 0) +
    (c.removeMemberships?.length ?? 0)
  );
}

/**
 * The local directory as the rest of gatehouse uses it: resolves users and groups the way the CLI accepts them,
 * answers nested membership checks from an in-memory index (loaded lazily per connection, patched on writes through
 * this service, reloaded when another process wrote), and writes through to the store.
 */
export class DirectoryService implements DirectoryWriter {
  private readonly store: DirectoryStore;
  private readonly clock: Clock;
  private readonly freshnessMs: number;
  private readonly lastSyncedAt: (connectionId: string) => Promise<string | undefined>;
  private readonly cache = new Map<string, CachedIndex>();
  private readonly loading = new Map<string, Promise<CachedIndex>>();

  constructor(options: DirectoryServiceOptions) {
    this.store = options.store;
    this.clock = options.clock ?? systemClock;
    this.freshnessMs = options.freshnessMs ?? 1000;
    this.lastSyncedAt = options.lastSyncedAt ?? (async () => undefined);
  }

  /** The underlying store, for reads the service does not wrap (listing, counts). */
  get reader(): DirectoryStore {
    return this.store;
  }

  async applyChanges(connectionId: string, changes: DirectoryChanges): Promise<void> {
    await this.store.applyChanges(connectionId, changes);
    const cached = this.cache.get(connectionId);
    if (!cached) return;
    if (changeSize(changes) > PATCH_LIMIT) {
      this.cache.delete(connectionId);
      return;
    }
    cached.index.apply(changes);
    cached.version = await this.store.version(connectionId);
  }

  upsertUser(connectionId: string, user: DirectoryUser): Promise<void> {
    return this.applyChanges(connectionId, { upsertUsers: [user] });
  }
  removeUser(connectionId: string, userId: string): Promise<void> {
    return this.applyChanges(connectionId, { removeUserIds: [userId] });
  }
  upsertGroup(connectionId: string, group: DirectoryGroup): Promise<void> {
    return this.applyChanges(connectionId, { upsertGroups: [group] });
  }
  removeGroup(connectionId: string, groupId: string): Promise<void> {
    return this.applyChanges(connectionId, { removeGroupIds: [groupId] });
  }
  addMember(connectionId: string, link: MembershipLink): Promise<void> {
    return this.applyChanges(connectionId, { addMemberships: [link] });
  }
  removeMember(connectionId: string, groupId: string, memberId: string): Promise<void> {
    return this.applyChanges(connectionId, { removeMemberships: [{ groupId, memberId }] });
  }

  /** Forgets the cached index of a connection (the connection was removed). */
  invalidate(connectionId: string): void {
    this.cache.delete(connectionId);
  }

  /**
   * A sync wrote through the store directly (or wrote nothing). A cached index is kept when the directory's version
   * did not move, and rebuilt right away, in the background, when it did: the first check after every sync used to
   * wait for a whole rebuild (2.5 s at 100,000 users, issue 13), even after a sync that changed nothing. Checks that
   * come during the rebuild wait for it (`load` is shared), so none answers from the directory before the sync.
   * An index no check read since it was built is dropped instead, as before: syncs every few minutes of a
   * connection checked once a day would otherwise rebuild it after every one.
   */
  directoryChanged(connectionId: string): void {
    const cached = this.cache.get(connectionId);
    if (!cached) return;
    if (!cached.used) {
      this.cache.delete(connectionId);
      return;
    }
    cached.checkedAtMs = Number.NEGATIVE_INFINITY;
    this.refresh(connectionId, cached).catch(() => {
      // The next check loads again and reports the store's error itself.
    });
  }

  private async refresh(connectionId: string, cached: CachedIndex): Promise<void> {
    const version = await this.store.version(connectionId);
    if (this.cache.get(connectionId) !== cached) return;
    if (version === cached.version) {
      cached.checkedAtMs = this.clock.nowMs();
      return;
    }
    this.cache.delete(connectionId);
    await this.load(connectionId);
  }

  /** USER is an object id or a userPrincipalName. */
  async resolveUser(connectionId: string, user: string): Promise<DirectoryUser> {
    const found = await this.store.getUser(connectionId, user.trim());
    if (found) return found;
    throw new AppError('DIRECTORY_USER_NOT_FOUND', {
      message: `No user '${user}' in the local directory.`,
      details: { user },
    });
  }

  /** GROUP is an object id or an exact displayName; a name several groups share is refused with the candidates. */
  async resolveGroup(connectionId: string, group: string): Promise<DirectoryGroup> {
    const key = group.trim();
    const byId = await this.store.getGroup(connectionId, key);
    if (byId) return byId;
    const byName = await this.store.findGroupsByName(connectionId, key);
    if (byName.length === 1 && byName[0]) return byName[0];
    if (byName.length > 1) {
      throw new AppError('DIRECTORY_AMBIGUOUS_GROUP', {
        message: `${byName.length} groups are named '${group}'.`,
        details: { group, candidates: byName.map((g) => ({ id: g.id, displayName: g.displayName })) },
      });
    }
    throw new AppError('DIRECTORY_GROUP_NOT_FOUND', {
      message: `No group '${group}' in the local directory.`,
      details: { group },
    });
  }

  /** The membership index of a connection, loaded on first use and reloaded when the store changed elsewhere. */
  async index(connectionId: string): Promise<MembershipIndex> {
    const cached = this.cache.get(connectionId);
    const now = this.clock.nowMs();
    if (cached && now - cached.checkedAtMs < this.freshnessMs) {
      cached.used = true;
      return cached.index;
    }
    if (cached) {
      const version = await this.store.version(connectionId);
      if (version === cached.version) {
        cached.checkedAtMs = now;
        cached.used = true;
        return cached.index;
      }
      this.cache.delete(connectionId);
    }
    const entry = await this.load(connectionId);
    entry.used = true;
    return entry.index;
  }

  private load(connectionId: string): Promise<CachedIndex> {
    const pending = this.loading.get(connectionId);
    if (pending) return pending;
    const loading = (async () => {
      const version = await this.store.version(connectionId);
      const index = await MembershipIndex.scan((onLink) => this.store.scanMembershipGraph(connectionId, onLink));
      const entry = { index, version, checkedAtMs: this.clock.nowMs(), used: false };
      this.cache.set(connectionId, entry);
      return entry;
    })().finally(() => this.loading.delete(connectionId));
    this.loading.set(connectionId, loading);
    return loading;
  }

  /** Is USER a member of GROUP, directly or nested, according to the local directory? With the path when so. */
  async checkMembership(connectionId: string, user: string, group: string): Promise<MembershipAnswer> {
    const syncedAt = await this.lastSyncedAt(connectionId);
    if (syncedAt === undefined && (await this.store.version(connectionId)) === 0) {
      throw new AppError('DIRECTORY_NOT_SYNCED', {
        message: 'The connection has not been synced yet.',
        details: { connectionId },
      });
    }
    const [u, g] = await Promise.all([this.resolveUser(connectionId, user), this.resolveGroup(connectionId, group)]);
    // A soft-deleted user keeps its links (for a restore) but is a member of nothing meanwhile.
    const path = u.deleted ? undefined : (await this.index(connectionId)).path(u.id, g.id);
    return {
      member: path !== undefined,
      path: path ?? [],
      source: 'directory',
      ...(syncedAt ? { syncedAt } : {}),
    };
  }

  /** Members of a group: direct, or every member at any depth. */
  async members(connectionId: string, groupId: string, transitive: boolean): Promise<MembershipLink[]> {
    if (!transitive) return this.store.listMembers(connectionId, groupId);
    return (await this.index(connectionId)).transitiveMembers(groupId);
  }
}
