import type { AppliedChanges } from '../directory/applied-changes.js';
import type { EventType } from './event-model.js';

/** An event before it has a cursor: what it is about and its payload. */
export interface DraftEvent {
  type: EventType;
  /** The user or group (the group for membership events). */
  objectId: string;
  data: Record<string, unknown>;
}

/**
 * The events of one applied write (product.md section 9.2). A baseline (a connection's first full round) yields none:
 * the directory being loaded is not news, and consumers start from the cursor after it. A change of `accountEnabled`
 * is `user.disabled`/`user.enabled` (plus `user.updated` for any other property changed with it); a user dropped by
 * the disabled-users policy is `user.disabled` with `excluded: true`. `user.created` may later be refined by the
 * recorder into `user.enabled` or `user.restored` (see event-recorder.ts).
 */
export function deriveEvents(changes: AppliedChanges): DraftEvent[] {
  if (changes.baseline) return [];
  const out: DraftEvent[] = [];
  for (const change of changes.users) {
    switch (change.type) {
      case 'created':
        out.push({ type: 'user.created', objectId: change.user.id, data: { user: change.user } });
        break;
      case 'restored':
        out.push({ type: 'user.restored', objectId: change.user.id, data: { user: change.user } });
        break;
      case 'updated': {
        const id = change.user.id;
        if (change.changed.includes('accountEnabled')) {
          const type = change.user.accountEnabled ? 'user.enabled' : 'user.disabled';
          out.push({ type, objectId: id, data: { user: change.user } });
        }
        const others = change.changed.filter((p) => p !== 'accountEnabled');
        if (others.length > 0)
          out.push({ type: 'user.updated', objectId: id, data: { user: change.user, changed: others } });
        break;
      }
      case 'deleted':
        out.push({ type: 'user.deleted', objectId: change.id, data: { user: change.user ?? { id: change.id } } });
        break;
      case 'purged':
        out.push({ type: 'user.purged', objectId: change.id, data: { user: change.user ?? { id: change.id } } });
        break;
      case 'excluded': {
        const user = change.user ? { ...change.user, accountEnabled: false } : { id: change.id };
        out.push({ type: 'user.disabled', objectId: change.id, data: { user, excluded: true } });
        break;
      }
    }
  }
  for (const change of changes.groups) {
    if (change.type === 'created') {
      out.push({ type: 'group.created', objectId: change.group.id, data: { group: change.group } });
    } else if (change.type === 'updated') {
      out.push({
        type: 'group.updated',
        objectId: change.group.id,
        data: { group: change.group, changed: change.changed },
      });
    } else {
      out.push({ type: 'group.deleted', objectId: change.id, data: { group: change.group ?? { id: change.id } } });
    }
  }
  for (const m of changes.memberships) {
    out.push({
      type: m.type === 'added' ? 'membership.added' : 'membership.removed',
      objectId: m.groupId,
      data: { groupId: m.groupId, memberId: m.memberId, memberType: m.memberType },
    });
  }
  return out;
}
