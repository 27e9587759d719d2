import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type Emulator, startEmulator } from '../../src/emulator/index.js';

// Regression: deleting an object dropped only every other one of its group memberships, because the
// member-of list was walked while it was being shortened (reported by the sync engineer's integration tests).
describe('emulator directory: deleting an object', () => {
  let emulator: Emulator;
  before(async () => {
    emulator = await startEmulator({ profile: 'exact', seed: 'directory-delete' });
  });
  after(async () => {
    await emulator.stop();
  });

  for (const permanently of [false, true]) {
    it(`removes it from every group it belonged to (${permanently ? 'permanent' : 'soft'} delete)`, () => {
      const { directory } = emulator;
      const user = directory.createUser({ displayName: `Leaver ${permanently}` });
      const groups = [1, 2, 3, 4, 5].map((n) => directory.createGroup({ displayName: `G${n} ${permanently}` }));
      for (const group of groups) directory.addMember(group.id, user.id);
      assert.deepEqual(
        groups.map((g) => directory.memberIds(g.id).includes(user.id)),
        [true, true, true, true, true],
      );

      directory.delete(user.id, { permanently });

      assert.deepEqual(
        groups.map((g) => directory.memberIds(g.id).includes(user.id)),
        [false, false, false, false, false],
      );
      const listed = directory.snapshot().groups.filter((g) => g.members.some((m) => m.id === user.id));
      assert.deepEqual(listed, []);
    });
  }
});
