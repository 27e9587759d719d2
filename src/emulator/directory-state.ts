import type { Clock } from '../core/clock.js';
import { ChangeLog } from './change-log.js';
import { Mulberry } from './realism.js';

export type ObjectKind = 'user' | 'group' | 'device' | 'servicePrincipal';
export type ObjectState = 'active' | 'softDeleted' | 'hardDeleted';

/** One directory object. `props` is Graph-shaped JSON (what GET returns), so `$select` and PATCH stay generic. */
export interface DirObject {
  readonly ix: number;
  readonly kind: ObjectKind;
  readonly id: string;
  props: Record<string, unknown>;
  state: ObjectState;
  /** Holds an admin role: writes need an app that may manage privileged users (403 otherwise). */
  privileged: boolean;
  /** Groups only: member object indexes, in insertion order. */
  members: number[] | undefined;
  /** Groups only: lazily built membership set for big groups. */
  memberSet: Set<number> | undefined;
}

export const ODATA_TYPE: Readonly<Record<ObjectKind, string>> = {
  user: '#microsoft.graph.user',
  group: '#microsoft.graph.group',
  device: '#microsoft.graph.device',
  servicePrincipal: '#microsoft.graph.servicePrincipal',
};

/** A membership change that other readers do not see yet. */
interface PendingLink {
  readonly group: number;
  readonly member: number;
  readonly added: boolean;
  readonly at: number;
}

/**
 * Replication lag (https://devblogs.microsoft.com/identity/eventual-consistency/): a write succeeds at once, but
 * other reads see it only after a delay drawn per write from [min, max] ms. New objects 404 until visible, new or
 * removed membership links keep their old state, delta rounds end before the first change still replicating.
 */
export class ReplicationLag {
  min = 0;
  max = 0;
  private readonly pendingObjects = new Map<number, number>();
  private pendingLinks: PendingLink[] = [];

  constructor(
    private readonly nowMs: () => number,
    private readonly random: Mulberry,
  ) {}

  get enabled(): boolean {
    return this.max > 0;
  }

  /** When a write made now becomes visible, or undefined without lag. */
  draw(): number | undefined {
    if (!this.enabled) return undefined;
    return this.nowMs() + this.random.int(this.min, this.max);
  }

  objectCreated(ix: number, at: number | undefined): void {
    if (at !== undefined && at > this.nowMs()) this.pendingObjects.set(ix, at);
  }

  linkChanged(group: number, member: number, added: boolean, at: number | undefined): void {
    if (at !== undefined && at > this.nowMs()) this.pendingLinks.push({ group, member, added, at });
  }

  isVisible(ix: number): boolean {
    const at = this.pendingObjects.get(ix);
    if (at === undefined) return true;
    if (at > this.nowMs()) return false;
    this.pendingObjects.delete(ix);
    return true;
  }

  /** Membership changes still invisible, oldest first (visible ones are dropped). */
  pending(): readonly PendingLink[] {
    if (this.pendingLinks.length === 0) return this.pendingLinks;
    const now = this.nowMs();
    this.pendingLinks = this.pendingLinks.filter((p) => p.at > now);
    return this.pendingLinks;
  }

  settle(): void {
    this.pendingObjects.clear();
    this.pendingLinks = [];
  }
}

/**
 * The emulated directory: objects in one array addressed by index (compact enough for a million users), indexes by
 * id and UPN, per-kind lists in creation order (delta rounds and list pages walk them by position), and the change
 * log that every mutation appends to.
 */
export class DirectoryState {
  readonly objects: DirObject[] = [];
  readonly users: number[] = [];
  readonly groups: number[] = [];
  readonly changes = new ChangeLog();
  private readonly byId = new Map<string, number>();
  private readonly byUpn = new Map<string, number>();
  private memberOfIndex: Map<number, number[]> | undefined;
  readonly lag: ReplicationLag;
  /** Soft delete keeps memberships (Microsoft); false drops them (the exact profile). */
  softDeleteKeepsMemberships = false;
  /** false: a permanent delete of a member never shows in its groups' `members@delta` (a real-world quirk). */
  permanentDeleteInMembersDelta = true;
  /** The visibility time of the write being logged (one draw per write call). */
  private writeAt: number | undefined;

  constructor(
    readonly clock: Clock,
    random: Mulberry = new Mulberry(1),
  ) {
    this.lag = new ReplicationLag(() => clock.nowMs(), random);
    this.changes.stamp = () => this.writeAt ?? this.lag.draw();
  }

  /** Makes every write visible to every reader now. */
  settle(): void {
    this.lag.settle();
    this.changes.settle();
  }

  /** Visible to other readers (replication lag over). */
  isVisible(obj: DirObject): boolean {
    return this.lag.isVisible(obj.ix);
  }

  /** Direct members as other readers see them now (pending adds hidden, pending removals still there). */
  visibleMembers(group: DirObject): readonly number[] {
    const members = group.members ?? [];
    const pending = this.lag.pending().filter((p) => p.group === group.ix);
    if (pending.length === 0) return members;
    const hidden = new Set(pending.filter((p) => p.added).map((p) => p.member));
    const out = members.filter((m) => !hidden.has(m));
    for (const p of pending) if (!p.added && !out.includes(p.member)) out.push(p.member);
    return out;
  }

  /** Groups that directly contain the object, as other readers see them now. */
  visibleMemberOf(ix: number): readonly number[] {
    const groups = this.memberOf(ix);
    const pending = this.lag.pending().filter((p) => p.member === ix);
    if (pending.length === 0) return groups;
    const hidden = new Set(pending.filter((p) => p.added).map((p) => p.group));
    const out = groups.filter((g) => !hidden.has(g));
    for (const p of pending) if (!p.added && !out.includes(p.group)) out.push(p.group);
    return out;
  }

  /** transitiveMemberOf as other readers see it now. */
  visibleTransitiveMemberOf(ix: number): number[] {
    if (this.lag.pending().length === 0) return this.transitiveMemberOf(ix);
    const seen = new Set<number>();
    const stack = [...this.visibleMemberOf(ix)];
    while (stack.length > 0) {
      const g = stack.pop() as number;
      if (seen.has(g)) continue;
      seen.add(g);
      stack.push(...this.visibleMemberOf(g));
    }
    return [...seen];
  }

  /** Adds an object. `lowerCase`: the id and UPN are already lower case (the generator's bulk path). */
  add(
    kind: ObjectKind,
    id: string,
    props: Record<string, unknown>,
    options: { privileged?: boolean; log?: boolean; lowerCase?: boolean } = {},
  ): DirObject {
    const ix = this.objects.length;
    const obj: DirObject = {
      ix,
      kind,
      id,
      props,
      state: 'active',
      privileged: options.privileged ?? false,
      members: kind === 'group' ? [] : undefined,
      memberSet: undefined,
    };
    this.objects.push(obj);
    this.byId.set(options.lowerCase ? id : id.toLowerCase(), ix);
    if (kind === 'user') {
      this.users.push(ix);
      const upn = props.userPrincipalName;
      if (typeof upn === 'string') this.byUpn.set(options.lowerCase ? upn : upn.toLowerCase(), ix);
    } else if (kind === 'group') this.groups.push(ix);
    if (options.log !== false) {
      this.writeAt = this.lag.draw();
      this.lag.objectCreated(ix, this.writeAt);
      this.changes.created(ix);
      this.writeAt = undefined;
    }
    return obj;
  }

  /** An active or soft-deleted object by id (hard-deleted ones are gone). */
  byObjectId(id: string): DirObject | undefined {
    const ix = this.byId.get(id.toLowerCase());
    const obj = ix === undefined ? undefined : this.objects[ix];
    return obj && obj.state !== 'hardDeleted' ? obj : undefined;
  }

  /** Active object by id (or, for users, by userPrincipalName). */
  find(idOrUpn: string, kind?: ObjectKind): DirObject | undefined {
    const key = idOrUpn.toLowerCase();
    const ix = this.byId.get(key) ?? this.byUpn.get(key);
    const obj = ix === undefined ? undefined : this.objects[ix];
    if (obj?.state !== 'active') return undefined;
    return kind && obj.kind !== kind ? undefined : obj;
  }

  upnTaken(upn: string): boolean {
    return this.byUpn.has(upn.toLowerCase());
  }

  /** Changes properties; only keys whose value differs are logged (as Graph surfaces only real changes). */
  update(obj: DirObject, patch: Record<string, unknown>): string[] {
    const changed: string[] = [];
    for (const [key, value] of Object.entries(patch)) {
      if (JSON.stringify(obj.props[key]) === JSON.stringify(value)) continue;
      if (key === 'userPrincipalName' && typeof value === 'string') {
        const old = obj.props.userPrincipalName;
        if (typeof old === 'string') this.byUpn.delete(old.toLowerCase());
        this.byUpn.set(value.toLowerCase(), obj.ix);
      }
      obj.props[key] = value;
      changed.push(key);
    }
    if (changed.length > 0) this.changes.updated(obj.ix, changed);
    return changed;
  }

  /**
   * Soft delete (restorable; delta says `@removed: changed`) or permanent delete (`deleted`). A soft-deleted user
   * keeps its memberships when `softDeleteKeepsMemberships` (Microsoft: concepts/delta-query-groups.md); they go,
   * with `members@delta` removals, at the permanent delete (silently when `permanentDeleteInMembersDelta` is off).
   */
  remove(obj: DirObject, permanently = false): void {
    if (obj.state === 'hardDeleted') return;
    const keep = !permanently && obj.kind === 'user' && this.softDeleteKeepsMemberships;
    const heldMemberships = obj.state === 'softDeleted' && obj.kind === 'user' && this.softDeleteKeepsMemberships;
    if ((obj.state === 'active' && !keep) || (permanently && heldMemberships)) {
      const log = obj.state === 'active' || this.permanentDeleteInMembersDelta;
      // Copy first: removeMember shortens the live member-of list this would otherwise be walking.
      for (const groupIx of [...this.memberOf(obj.ix)])
        this.removeMember(this.objects[groupIx] as DirObject, obj.ix, { log });
      if (obj.members) for (const memberIx of [...obj.members]) this.removeMember(obj, memberIx, { log });
    }
    obj.state = permanently ? 'hardDeleted' : 'softDeleted';
    if (permanently) {
      this.byId.delete(obj.id.toLowerCase());
      const upn = obj.props.userPrincipalName;
      if (typeof upn === 'string') this.byUpn.delete(upn.toLowerCase());
    }
    this.changes.removed(obj.ix, permanently ? 'deleted' : 'changed');
  }

  /**
   * Restores a soft-deleted object (it reappears in delta with all its properties; memberships it kept count again,
   * without any groups-delta entry).
   */
  restore(obj: DirObject): void {
    if (obj.state !== 'softDeleted') return;
    obj.state = 'active';
    this.changes.created(obj.ix);
  }

  isMember(group: DirObject, memberIx: number): boolean {
    const members = group.members ?? [];
    if (members.length < 64) return members.includes(memberIx);
    group.memberSet ??= new Set(members);
    return group.memberSet.has(memberIx);
  }

  /** Adds a member; false when it already was one. */
  addMember(group: DirObject, memberIx: number, options: { log?: boolean } = {}): boolean {
    if (this.isMember(group, memberIx)) return false;
    group.members?.push(memberIx);
    group.memberSet?.add(memberIx);
    if (this.memberOfIndex) {
      const list = this.memberOfIndex.get(memberIx);
      if (list) list.push(group.ix);
      else this.memberOfIndex.set(memberIx, [group.ix]);
    }
    if (options.log !== false) {
      this.writeAt = this.lag.draw();
      this.lag.linkChanged(group.ix, memberIx, true, this.writeAt);
      this.changes.memberAdded(group.ix, memberIx);
      this.writeAt = undefined;
    }
    return true;
  }

  /** Removes a member; false when it was not one. */
  removeMember(group: DirObject, memberIx: number, options: { log?: boolean } = {}): boolean {
    if (!this.isMember(group, memberIx) || !group.members) return false;
    group.members.splice(group.members.indexOf(memberIx), 1);
    group.memberSet?.delete(memberIx);
    const list = this.memberOfIndex?.get(memberIx);
    if (list) list.splice(list.indexOf(group.ix), 1);
    if (options.log !== false) {
      this.writeAt = this.lag.draw();
      this.lag.linkChanged(group.ix, memberIx, false, this.writeAt);
      this.changes.memberRemoved(group.ix, memberIx);
      this.writeAt = undefined;
    }
    return true;
  }

  /** Groups that directly contain the object (built on first use, then kept up to date). */
  memberOf(ix: number): readonly number[] {
    if (!this.memberOfIndex) {
      const index = new Map<number, number[]>();
      for (const groupIx of this.groups) {
        for (const memberIx of this.objects[groupIx]?.members ?? []) {
          const list = index.get(memberIx);
          if (list) list.push(groupIx);
          else index.set(memberIx, [groupIx]);
        }
      }
      this.memberOfIndex = index;
    }
    return this.memberOfIndex.get(ix) ?? [];
  }

  /** All groups the object belongs to, directly or through nested groups (cycle-safe). */
  transitiveMemberOf(ix: number): number[] {
    const seen = new Set<number>();
    const stack = [...this.memberOf(ix)];
    while (stack.length > 0) {
      const g = stack.pop() as number;
      if (seen.has(g)) continue;
      seen.add(g);
      stack.push(...this.memberOf(g));
    }
    return [...seen];
  }

  /** All members of a group, flattened through nested groups (nested groups themselves included, as Graph does). */
  transitiveMembers(groupIx: number): number[] {
    const seen = new Set<number>();
    const visited = new Set<number>([groupIx]);
    const stack = [groupIx];
    while (stack.length > 0) {
      const g = this.objects[stack.pop() as number];
      for (const m of g?.members ?? []) {
        seen.add(m);
        if (this.objects[m]?.kind === 'group' && !visited.has(m)) {
          visited.add(m);
          stack.push(m);
        }
      }
    }
    return [...seen];
  }
}
