import assert from 'node:assert/strict';
import { MembershipIndex } from '../../src/directory/membership-index.js';
import type { Emulator } from '../../src/emulator/index.js';
import type { Gatehouse } from '../../src/main.js';

const MEMBER_TYPES = new Set(['#microsoft.graph.user', '#microsoft.graph.group']);

/** Asserts the local directory equals the emulated tenant: users (enabled only), groups, direct + transitive links. */
export async function assertMirrors(gatehouse: Gatehouse, connectionId: string, emulator: Emulator): Promise<void> {
  const truth = emulator.directory.snapshot();
  const store = gatehouse.directory.reader;
  const enabled = truth.users.filter((u) => u.accountEnabled !== false);
  assert.deepEqual((await store.listIds(connectionId, 'user')).sort(), enabled.map((u) => u.id).sort(), 'users');
  assert.deepEqual((await store.listIds(connectionId, 'group')).sort(), truth.groups.map((g) => g.id).sort(), 'groups');
  const local = await store.loadMembershipGraph(connectionId);
  const localLinks = local.links.map((l) => `${l.groupId}>${l.memberId}:${l.memberType}`).sort();
  // Members that are active users or groups (the emulator's snapshot may still list a deleted user's links).
  const active = new Set([...truth.users, ...truth.groups].map((o) => o.id));
  const truthLinks = truth.groups
    .flatMap((g) =>
      g.members
        .filter((m) => MEMBER_TYPES.has(m['@odata.type']) && active.has(m.id))
        .map((m) => `${g.id}>${m.id}:${m['@odata.type'] === '#microsoft.graph.group' ? 'group' : 'user'}`),
    )
    .sort();
  const extra = localLinks.filter((l) => !truthLinks.includes(l));
  const missing = truthLinks.filter((l) => !localLinks.includes(l));
  assert.deepEqual({ extra, missing }, { extra: [], missing: [] }, 'direct memberships');
  const index = MembershipIndex.build(local);
  for (const user of enabled.slice(0, 60)) {
    const expected = new Set(emulator.directory.transitiveGroupIds(user.id));
    for (const group of truth.groups) {
      assert.equal(index.path(user.id, group.id) !== undefined, expected.has(group.id), `${user.id} in ${group.id}`);
    }
  }
  const sample = (await store.getUser(connectionId, String(enabled[0]?.userPrincipalName)))?.displayName;
  assert.equal(sample, enabled[0]?.displayName);
}

/**
 * Deletes a user in the emulated tenant. Its memberships are removed first because the emulator's `remove`
 * (src/emulator/directory-state.ts) currently drops only every other membership of a deleted object (it splices the
 * list it iterates), which would leave its truth wrong for users in several groups.
 */
export function deleteUser(emulator: Emulator, id: string, permanently = false): void {
  for (const g of emulator.directory.snapshot().groups) {
    if (g.members.some((m) => m.id === id)) emulator.directory.removeMember(g.id, id);
  }
  emulator.directory.delete(id, { permanently });
}
