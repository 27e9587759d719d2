import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DirectoryChanges, MembershipLink, PathStep } from './directory-model.js';
import { MembershipIndex } from './membership-index.js';

/**
 * The compact index (numbered ids, edge arrays; issue 13) against a plain oracle written the obvious way (string
 * sets), on random graphs with nested groups, cycles, self-links and duplicate links, through random changes.
 */
class Oracle {
  private readonly parents = new Map<string, Set<string>>();
  private readonly children = new Map<string, Set<string>>();
  private readonly types = new Map<string, MembershipLink['memberType']>();
  readonly names = new Map<string, string>();

  link(l: MembershipLink): void {
    this.types.set(l.memberId, l.memberType);
    if (!this.parents.has(l.memberId)) this.parents.set(l.memberId, new Set());
    if (!this.children.has(l.groupId)) this.children.set(l.groupId, new Set());
    this.parents.get(l.memberId)?.add(l.groupId);
    this.children.get(l.groupId)?.add(l.memberId);
  }

  unlink(groupId: string, memberId: string): void {
    this.parents.get(memberId)?.delete(groupId);
    this.children.get(groupId)?.delete(memberId);
  }

  drop(id: string): void {
    for (const g of [...(this.parents.get(id) ?? [])]) this.unlink(g, id);
    for (const m of [...(this.children.get(id) ?? [])]) this.unlink(id, m);
    this.types.delete(id);
    this.names.delete(id);
  }

  /** Every shortest path from one of the member's direct groups up to the group, as id lists. */
  shortestPaths(memberId: string, groupId: string): string[][] {
    let paths = [...(this.parents.get(memberId) ?? [])].map((g) => [g]);
    const seen = new Set<string>();
    while (paths.length > 0) {
      const done = paths.filter((p) => p[p.length - 1] === groupId);
      if (done.length > 0) return done;
      for (const p of paths) seen.add(p[p.length - 1] as string);
      paths = paths.flatMap((p) =>
        [...(this.parents.get(p[p.length - 1] as string) ?? [])].filter((g) => !seen.has(g)).map((g) => [...p, g]),
      );
    }
    return [];
  }

  transitive(groupId: string): string[] {
    const seen = new Set([groupId]);
    const out: string[] = [];
    const queue = [groupId];
    while (queue.length > 0) {
      const g = queue.shift() as string;
      for (const m of this.children.get(g) ?? []) {
        if (seen.has(m)) continue;
        seen.add(m);
        out.push(`${m}:${this.types.get(m) ?? 'user'}`);
        if (this.types.get(m) === 'group') queue.push(m);
      }
    }
    return out.sort();
  }

  get size(): number {
    let n = 0;
    for (const set of this.children.values()) n += set.size;
    return n;
  }
}

function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('MembershipIndex (compact) against a plain oracle', () => {
  for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
    it(`random graph and changes, seed ${seed}`, () => {
      const random = seeded(seed);
      const pick = <T>(items: readonly T[]) => items[Math.floor(random() * items.length)] as T;
      const groups = Array.from({ length: 12 }, (_, i) => `g${i}`);
      const users = Array.from({ length: 40 }, (_, i) => `u${i}`);
      const randomLink = (): MembershipLink =>
        random() < 0.3
          ? { groupId: pick(groups), memberId: pick(groups), memberType: 'group' }
          : { groupId: pick(groups), memberId: pick(users), memberType: 'user' };
      const links = Array.from({ length: 150 }, randomLink);
      const oracle = new Oracle();
      for (const g of groups) oracle.names.set(g, `Group ${g}`);
      for (const l of links) oracle.link(l);
      const index = MembershipIndex.build({ groups: groups.map((id) => ({ id, displayName: `Group ${id}` })), links });

      const compare = (when: string) => {
        assert.equal(index.size, oracle.size, `${when}: size`);
        for (const member of [...users, ...groups, 'nobody']) {
          for (const group of [...groups, 'no-group']) {
            const path = index.path(member, group);
            const expected = oracle.shortestPaths(member, group);
            if (expected.length === 0) {
              assert.equal(path, undefined, `${when}: ${member} is not in ${group}`);
              continue;
            }
            const ids = (path ?? []).map((s: PathStep) => s.id);
            assert.ok(
              expected.some((p) => p.join() === ids.join()),
              `${when}: ${member} in ${group} by ${ids} (shortest: ${expected.map((p) => p.join('>'))})`,
            );
            for (const step of path ?? []) assert.equal(step.displayName, oracle.names.get(step.id) ?? step.id);
          }
        }
        for (const group of [...groups, 'no-group']) {
          const got = index
            .transitiveMembers(group)
            .map((l) => `${l.memberId}:${l.memberType}`)
            .sort();
          assert.deepEqual(got, oracle.transitive(group), `${when}: transitive members of ${group}`);
        }
      };
      compare('built');

      for (let round = 0; round < 15; round++) {
        const changes: DirectoryChanges = {
          upsertGroups: random() < 0.3 ? [{ ...groupRow(pick(groups)), displayName: `Renamed ${round}` }] : [],
          removeUserIds: random() < 0.5 ? [pick(users)] : [],
          softDeleteUserIds: random() < 0.3 ? [pick(users)] : [],
          removeGroupIds: random() < 0.2 ? [pick(groups)] : [],
          removeMemberships: Array.from({ length: 5 }, () => {
            const l = random() < 0.7 ? pick(links) : randomLink();
            return { groupId: l.groupId, memberId: l.memberId };
          }),
          addMemberships: Array.from({ length: 6 }, randomLink),
        };
        index.apply(changes);
        for (const g of changes.upsertGroups ?? []) oracle.names.set(g.id, g.displayName);
        for (const id of [
          ...(changes.removeUserIds ?? []),
          ...(changes.softDeleteUserIds ?? []),
          ...(changes.removeGroupIds ?? []),
        ])
          oracle.drop(id);
        for (const l of changes.removeMemberships ?? []) oracle.unlink(l.groupId, l.memberId);
        for (const l of changes.addMemberships ?? []) oracle.link(l);
        compare(`round ${round}`);
      }
    });
  }
});

function groupRow(id: string) {
  return { id, displayName: id, description: null, mailEnabled: false, securityEnabled: true, groupTypes: [] };
}
