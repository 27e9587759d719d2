import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createManualClock } from '../../src/core/clock.js';
import { DirectoryState } from '../../src/emulator/directory-state.js';
import { generateDirectory } from '../../src/emulator/generate-directory.js';

function build(seed: string) {
  const dir = new DirectoryState(createManualClock());
  const summary = generateDirectory(dir, { users: 2000, groups: 300, seed, domain: 'contoso.onmicrosoft.com' });
  return { dir, summary };
}

describe('emulator data generator', () => {
  it('is deterministic from the seed', () => {
    const a = build('alpha');
    const b = build('alpha');
    const c = build('beta');
    const ids = (d: DirectoryState) =>
      d.objects.map((o) => `${o.id}:${o.props.userPrincipalName ?? o.props.displayName}`);
    assert.deepEqual(ids(a.dir), ids(b.dir));
    assert.deepEqual(a.summary, b.summary);
    assert.notDeepEqual(ids(a.dir), ids(c.dir));
  });

  it('makes unique UPNs on the tenant domain, some disabled users, admins, devices and service principals as members', () => {
    const { dir, summary } = build('quirks');
    const users = dir.users.map((ix) => dir.objects[ix]!);
    const upns = users.map((u) => String(u.props.userPrincipalName));
    assert.equal(new Set(upns.map((u) => u.toLowerCase())).size, 2000);
    assert.ok(upns.every((u) => /^[a-z.]+\d*@contoso\.onmicrosoft\.com$/.test(u)));
    const disabled = users.filter((u) => u.props.accountEnabled === false).length;
    assert.ok(disabled > 20 && disabled < 300, `some disabled users (${disabled})`);
    assert.equal(users.filter((u) => u.privileged).length, 2);
    const memberKinds = new Set(dir.groups.flatMap((g) => dir.objects[g]!.members!.map((m) => dir.objects[m]!.kind)));
    assert.deepEqual([...memberKinds].sort(), ['device', 'group', 'servicePrincipal', 'user']);
    assert.equal(
      dir.groups.reduce((n, g) => n + dir.objects[g]!.members!.length, 0),
      summary.memberships,
    );
    const flavours = dir.groups.map((g) => dir.objects[g]!.props);
    assert.ok(flavours.some((p) => (p.groupTypes as string[]).includes('Unified')));
    assert.ok(flavours.some((p) => (p.groupTypes as string[]).includes('DynamicMembership')));
    assert.ok(flavours.some((p) => p.onPremisesSyncEnabled === true));
    assert.ok(flavours.some((p) => p.isAssignableToRole === true));
  });

  it('mixes group sizes and nests groups at least four levels deep without cycles', () => {
    const { dir } = build('nesting');
    const sizes = dir.groups.map((g) => dir.objects[g]!.members!.length);
    assert.equal(Math.max(...sizes), 2000, 'an all-staff group');
    assert.ok(sizes.filter((s) => s <= 30).length > 100, 'many small groups');
    assert.ok(sizes.filter((s) => s >= 300).length >= 4, 'a few big groups');
    const depth = (g: number, seen: Set<number>): number => {
      assert.ok(!seen.has(g), 'no cycle');
      const children = dir.objects[g]!.members!.filter((m) => dir.objects[m]!.kind === 'group');
      return 1 + Math.max(0, ...children.map((c) => depth(c, new Set([...seen, g]))));
    };
    assert.ok(Math.max(...dir.groups.map((g) => depth(g, new Set()))) >= 5);
  });
});
