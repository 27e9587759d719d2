import type { DirectoryChanges, MembershipLink, PathStep } from './directory-model.js';
import type { MembershipGraphData, MembershipLinkSink } from './ports.js';

const NONE = -1;

/** Removes `value`, keeping the others in insertion order (walks and member lists keep their order). */
function removeValue(list: number[] | undefined, value: number): void {
  if (!list) return;
  const at = list.indexOf(value);
  if (at >= 0) list.splice(at, 1);
}

/**
 * An in-memory graph of one connection's direct memberships, answering "is X a member of G, directly or through
 * nested groups, and by which path?" with a breadth-first walk up the member's groups. A walk touches only the
 * member's ancestors (a handful of groups in real tenants), so answers take microseconds (`npm run bench -- sync`).
 * The shortest path is returned; cycles (which Entra forbids but a half-synced directory may briefly hold) are safe.
 *
 * Each object id is held once and numbered; the edges are arrays of those numbers, in insertion order. Built from a
 * scan that never holds the links (`DirectoryReader.scanMembershipGraph`), the index of 1,000,000 users and 8.5
 * million links takes 30–39 s and 0.73–0.79 GB of RSS, against 97.5 s and 3.7 GB with string sets per object built
 * from link objects (issue 13, BENCHMARKS.md).
 */
export class MembershipIndex {
  private readonly ordinals = new Map<string, number>();
  private readonly ids: string[] = [];
  /** object → the groups it is a direct member of. */
  private readonly parents: (number[] | undefined)[] = [];
  /** group → its direct members. */
  private readonly children: (number[] | undefined)[] = [];
  /** object → 1 when it is a member of type group. */
  private readonly groupTypes: number[] = [];
  private readonly names = new Map<string, string>();

  static build(data: MembershipGraphData): MembershipIndex {
    const index = new MembershipIndex();
    for (const group of data.groups) index.names.set(group.id, group.displayName);
    for (const link of data.links) index.link(link.groupId, link.memberId, link.memberType);
    return index;
  }

  /** Builds the index from a scan that hands over each link as it is read (`DirectoryReader.scanMembershipGraph`). */
  static async scan(
    scan: (onLink: MembershipLinkSink) => Promise<MembershipGraphData['groups']>,
  ): Promise<MembershipIndex> {
    const index = new MembershipIndex();
    const groups = await scan((groupId, memberId, memberType) => index.link(groupId, memberId, memberType));
    for (const group of groups) index.names.set(group.id, group.displayName);
    return index;
  }

  private ordinal(id: string): number {
    let n = this.ordinals.get(id);
    if (n === undefined) {
      n = this.ids.length;
      this.ordinals.set(id, n);
      this.ids.push(id);
      this.parents.push(undefined);
      this.children.push(undefined);
      this.groupTypes.push(0);
    }
    return n;
  }

  private link(groupId: string, memberId: string, memberType: MembershipLink['memberType']): void {
    const g = this.ordinal(groupId);
    const m = this.ordinal(memberId);
    this.groupTypes[m] = memberType === 'group' ? 1 : 0;
    const up = this.parents[m];
    if (up === undefined) this.parents[m] = [g];
    else if (up.includes(g)) return;
    else up.push(g);
    const down = this.children[g];
    if (down === undefined) this.children[g] = [m];
    else down.push(m);
  }

  private unlink(groupId: string, memberId: string): void {
    const g = this.ordinals.get(groupId);
    const m = this.ordinals.get(memberId);
    if (g === undefined || m === undefined) return;
    removeValue(this.parents[m], g);
    removeValue(this.children[g], m);
  }

  private dropObject(id: string): void {
    const n = this.ordinals.get(id);
    if (n !== undefined) {
      for (const g of this.parents[n] ?? []) removeValue(this.children[g], n);
      for (const m of this.children[n] ?? []) removeValue(this.parents[m], n);
      this.parents[n] = undefined;
      this.children[n] = undefined;
      this.groupTypes[n] = 0;
    }
    this.names.delete(id);
  }

  /** Keeps the index equal to the store after `changes` were written there (same order as the store applies). */
  apply(changes: DirectoryChanges): void {
    for (const group of changes.upsertGroups ?? []) this.names.set(group.id, group.displayName);
    for (const id of changes.removeUserIds ?? []) this.dropObject(id);
    // Kept in the store (hidden); a restore reloads the index from there.
    for (const id of changes.softDeleteUserIds ?? []) this.dropObject(id);
    for (const id of changes.removeGroupIds ?? []) this.dropObject(id);
    for (const link of changes.removeMemberships ?? []) this.unlink(link.groupId, link.memberId);
    for (const link of changes.addMemberships ?? []) this.link(link.groupId, link.memberId, link.memberType);
  }

  /**
   * The path from one of `memberId`'s direct groups up to `groupId` (both ends included), or undefined when
   * `memberId` is not a member of `groupId` at any depth.
   */
  path(memberId: string, groupId: string): PathStep[] | undefined {
    const m = this.ordinals.get(memberId);
    const target = this.ordinals.get(groupId);
    const direct = m === undefined ? undefined : this.parents[m];
    if (target === undefined || !direct || direct.length === 0) return undefined;
    // `cameFrom` maps each reached group to the group below it on the path (NONE for direct groups).
    const cameFrom = new Map<number, number>();
    let frontier: number[] = [];
    for (const g of direct) {
      cameFrom.set(g, NONE);
      frontier.push(g);
    }
    while (frontier.length > 0) {
      const next: number[] = [];
      for (const g of frontier) {
        if (g === target) return this.unwind(g, cameFrom);
        for (const parent of this.parents[g] ?? []) {
          if (cameFrom.has(parent)) continue;
          cameFrom.set(parent, g);
          next.push(parent);
        }
      }
      frontier = next;
    }
    return undefined;
  }

  private unwind(top: number, cameFrom: Map<number, number>): PathStep[] {
    const steps: PathStep[] = [];
    for (let g = top; g !== NONE; g = cameFrom.get(g) ?? NONE) {
      const id = this.ids[g] as string;
      steps.push({ id, displayName: this.names.get(id) ?? id });
    }
    return steps.reverse();
  }

  /** Every member of `groupId` at any depth (users and groups), each once. */
  transitiveMembers(groupId: string): MembershipLink[] {
    const start = this.ordinals.get(groupId);
    if (start === undefined) return [];
    const seen = new Set<number>([start]);
    const out: MembershipLink[] = [];
    const queue = [start];
    for (let i = 0; i < queue.length; i++) {
      const g = queue[i] as number;
      for (const member of this.children[g] ?? []) {
        if (seen.has(member)) continue;
        seen.add(member);
        const isGroup = this.groupTypes[member] === 1;
        out.push({
          groupId: this.ids[g] as string,
          memberId: this.ids[member] as string,
          memberType: isGroup ? 'group' : 'user',
        });
        if (isGroup) queue.push(member);
      }
    }
    return out;
  }

  /** Number of direct membership links held. */
  get size(): number {
    let n = 0;
    for (const list of this.children) n += list?.length ?? 0;
    return n;
  }
}
