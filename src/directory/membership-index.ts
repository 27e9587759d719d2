import type { DirectoryChanges, MembershipLink, PathStep } from './directory-model.js';
import type { MembershipGraphData } from './ports.js';

function addTo(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (set) set.add(value);
  else map.set(key, new Set([value]));
}

function removeFrom(map: Map<string, Set<string>>, key: string, value: string): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

/**
 * An in-memory graph of one connection's direct memberships, answering "is X a member of G, directly or through
 * nested groups, and by which path?" with a breadth-first walk up the member's groups. A walk touches only the
 * member's ancestors (a handful of groups in real tenants), so answers take microseconds (`npm run bench -- sync`).
 * The shortest path is returned; cycles (which Entra forbids but a half-synced directory may briefly hold) are safe.
 */
export class MembershipIndex {
  /** member (user or group) id → ids of the groups it is a direct member of. */
  private readonly parents = new Map<string, Set<string>>();
  /** group id → ids of its direct members, by type. */
  private readonly children = new Map<string, Set<string>>();
  private readonly memberTypes = new Map<string, MembershipLink['memberType']>();
  private readonly names = new Map<string, string>();

  static build(data: MembershipGraphData): MembershipIndex {
    const index = new MembershipIndex();
    for (const group of data.groups) index.names.set(group.id, group.displayName);
    for (const link of data.links) index.link(link);
    return index;
  }

  private link(link: MembershipLink): void {
    addTo(this.parents, link.memberId, link.groupId);
    addTo(this.children, link.groupId, link.memberId);
    this.memberTypes.set(link.memberId, link.memberType);
  }

  private unlink(groupId: string, memberId: string): void {
    removeFrom(this.parents, memberId, groupId);
    removeFrom(this.children, groupId, memberId);
  }

  private dropObject(id: string): void {
    for (const groupId of [...(this.parents.get(id) ?? [])]) this.unlink(groupId, id);
    for (const memberId of [...(this.children.get(id) ?? [])]) this.unlink(id, memberId);
    this.names.delete(id);
    this.memberTypes.delete(id);
  }

  /** Keeps the index equal to the store after `changes` were written there (same order as the store applies). */
  apply(changes: DirectoryChanges): void {
    for (const group of changes.upsertGroups ?? []) this.names.set(group.id, group.displayName);
    for (const id of changes.removeUserIds ?? []) this.dropObject(id);
    // Kept in the store (hidden); a restore reloads the index from there.
    for (const id of changes.softDeleteUserIds ?? []) this.dropObject(id);
    for (const id of changes.removeGroupIds ?? []) this.dropObject(id);
    for (const link of changes.removeMemberships ?? []) this.unlink(link.groupId, link.memberId);
    for (const link of changes.addMemberships ?? []) this.link(link);
  }

  /**
   * The path from one of `memberId`'s direct groups up to `groupId` (both ends included), or undefined when
   * `memberId` is not a member of `groupId` at any depth.
   */
  path(memberId: string, groupId: string): PathStep[] | undefined {
    const direct = this.parents.get(memberId);
    if (!direct) return undefined;
    // `cameFrom` maps each reached group to the group below it on the path (undefined for direct groups).
    const cameFrom = new Map<string, string | undefined>();
    let frontier: string[] = [];
    for (const g of direct) {
      cameFrom.set(g, undefined);
      frontier.push(g);
    }
    while (frontier.length > 0) {
      const next: string[] = [];
      for (const g of frontier) {
        if (g === groupId) return this.unwind(g, cameFrom);
        for (const parent of this.parents.get(g) ?? []) {
          if (cameFrom.has(parent)) continue;
          cameFrom.set(parent, g);
          next.push(parent);
        }
      }
      frontier = next;
    }
    return undefined;
  }

  private unwind(top: string, cameFrom: Map<string, string | undefined>): PathStep[] {
    const steps: PathStep[] = [];
    for (let g: string | undefined = top; g !== undefined; g = cameFrom.get(g)) {
      steps.push({ id: g, displayName: this.names.get(g) ?? g });
    }
    return steps.reverse();
  }

  /** Every member of `groupId` at any depth (users and groups), each once. */
  transitiveMembers(groupId: string): MembershipLink[] {
    const seen = new Set<string>([groupId]);
    const out: MembershipLink[] = [];
    const queue = [groupId];
    for (let i = 0; i < queue.length; i++) {
      const g = queue[i] as string;
      for (const member of this.children.get(g) ?? []) {
        if (seen.has(member)) continue;
        seen.add(member);
        const memberType = this.memberTypes.get(member) ?? 'user';
        out.push({ groupId: g, memberId: member, memberType });
        if (memberType === 'group') queue.push(member);
      }
    }
    return out;
  }

  /** Number of direct membership links held. */
  get size(): number {
    let n = 0;
    for (const set of this.children.values()) n += set.size;
    return n;
  }
}
