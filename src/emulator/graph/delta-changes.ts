import type { DirectoryState } from '../directory-state.js';

/** One object's net change over a slice of the change log (what the next delta round reports for it). */
export interface DeltaItem {
  readonly ix: number;
  /** Created (or restored) in the window: report every selected property and, for groups, all members. */
  readonly full: boolean;
  readonly removed: 'changed' | 'deleted' | undefined;
  readonly props: ReadonlySet<string>;
  /** Net membership changes: [member index, true = added / false = removed]. */
  readonly members: readonly (readonly [number, boolean])[];
}

interface Acc {
  created: boolean;
  removed: 'changed' | 'deleted' | undefined;
  props: Set<string>;
  members: Map<number, { first: boolean; last: boolean }>;
}

/**
 * Collapses the changes in [from, to) per object, in order of first change (facts C.3: "prior updates collapsed").
 * A membership that was added and removed again inside the window nets out; an object created and deleted inside
 * the window is not reported at all (the client never saw it).
 */
export function collapseChanges(dir: DirectoryState, kind: 'user' | 'group', from: number, to: number): DeltaItem[] {
  const acc = new Map<number, Acc>();
  for (const change of dir.changes.slice(from, to)) {
    if (dir.objects[change.ix]?.kind !== kind) continue;
    let rec = acc.get(change.ix);
    if (!rec) {
      rec = { created: false, removed: undefined, props: new Set(), members: new Map() };
      acc.set(change.ix, rec);
    }
    switch (change.op) {
      case 'created':
        rec.created = true;
        rec.removed = undefined;
        break;
      case 'updated':
        for (const p of change.props) rec.props.add(p);
        break;
      case 'removed':
        rec.removed = change.reason;
        break;
      case 'memberAdded':
      case 'memberRemoved': {
        const added = change.op === 'memberAdded';
        const m = rec.members.get(change.member);
        if (m) m.last = added;
        else rec.members.set(change.member, { first: added, last: added });
        break;
      }
    }
  }
  const items: DeltaItem[] = [];
  for (const [ix, rec] of acc) {
    const obj = dir.objects[ix];
    if (!obj) continue;
    if (obj.state !== 'active') {
      if (!rec.created)
        items.push({
          ix,
          full: false,
          removed: obj.state === 'hardDeleted' ? 'deleted' : 'changed',
          props: rec.props,
          members: [],
        });
      continue;
    }
    // A membership that existed before the window started with a removal; it changed only if it ends differently.
    const members: [number, boolean][] = [];
    if (!rec.created) {
      for (const [member, m] of rec.members) {
        const wasMember = !m.first;
        if (wasMember !== m.last) members.push([member, m.last]);
      }
    }
    items.push({ ix, full: rec.created, removed: undefined, props: rec.props, members });
  }
  return items;
}
