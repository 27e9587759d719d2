import type { Kysely } from 'kysely';
import type { Clock } from '../core/clock.js';
import type { AppliedChanges } from '../directory/applied-changes.js';
import { currentChangeScope } from '../directory/change-scope.js';
import type { AppliedChangeHook } from '../store/applied-change-hook.js';
import { connectionLinks } from '../store/group-keys.js';
import type { Database } from '../store/schema.js';
import { type DraftEvent, deriveEvents } from './derive-events.js';
import { eventMetrics, eventSignals } from './event-metrics.js';
import { eventGroupId } from './event-model.js';

const CHUNK = 200;

function chunks<T>(items: readonly T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

interface WebhookFilter {
  id: string;
  types: string[];
  groups: string[];
}

async function webhooksOf(tx: Kysely<Database>, cid: string): Promise<WebhookFilter[]> {
  const rows = await tx
    .selectFrom('webhooks')
    .select(['id', 'types', 'groups'])
    .where((eb) => eb.or([eb('connection_id', 'is', null), eb('connection_id', '=', cid)]))
    .execute();
  return rows.map((r) => ({
    id: r.id,
    types: JSON.parse(r.types) as string[],
    groups: JSON.parse(r.groups) as string[],
  }));
}

/** `user.created` of a user whose last event said disabled (excluded) or deleted is `user.enabled` / `user.restored`. */
async function refineCreated(tx: Kysely<Database>, cid: string, drafts: DraftEvent[]): Promise<void> {
  const created = drafts.filter((d) => d.type === 'user.created');
  if (created.length === 0) return;
  const last = new Map<string, { seq: number; type: string }>();
  for (const part of chunks(created.map((d) => d.objectId))) {
    const rows = await tx
      .selectFrom('directory_events')
      .select(['object_id', 'seq', 'type'])
      .where('connection_id', '=', cid)
      .where('object_id', 'in', part)
      .where('type', 'like', 'user.%')
      .execute();
    for (const row of rows) {
      const seq = Number(row.seq);
      const known = last.get(String(row.object_id));
      if (!known || known.seq < seq) last.set(String(row.object_id), { seq, type: row.type });
    }
  }
  for (const draft of created) {
    const previous = last.get(draft.objectId)?.type;
    if (previous === 'user.disabled') draft.type = 'user.enabled';
    else if (previous === 'user.deleted') draft.type = 'user.restored';
  }
}

/**
 * Transitive `membership.added|removed` (`transitive: true`) for watched groups: the user members of each watched
 * group at any depth, after the write (read in its transaction) and before it (the same walk with this write's
 * membership changes undone); users who joined or left other than by a direct link change of the watched group itself.
 */
async function transitiveEvents(
  tx: Kysely<Database>,
  cid: string,
  changes: AppliedChanges,
  watched: ReadonlySet<string>,
): Promise<DraftEvent[]> {
  if (watched.size === 0 || changes.memberships.length === 0) return [];
  const stored = new Map<string, { id: string; type: string }[]>();
  async function load(groupIds: string[]): Promise<void> {
    const missing = groupIds.filter((g) => !stored.has(g));
    for (const g of missing) stored.set(g, []);
    for (const part of chunks(missing, 500)) {
      const rows = await connectionLinks(tx, cid)
        .select(['k.group_id', 'm.member_id', 'm.member_type'])
        .where('k.group_id', 'in', part)
        .execute();
      for (const row of rows) stored.get(row.group_id)?.push({ id: row.member_id, type: row.member_type });
    }
  }
  const added = new Map<string, Set<string>>();
  const removed = new Map<string, { id: string; type: string }[]>();
  for (const m of changes.memberships) {
    if (m.type === 'added') {
      const set = added.get(m.groupId) ?? new Set<string>();
      set.add(m.memberId);
      added.set(m.groupId, set);
    } else {
      const list = removed.get(m.groupId) ?? [];
      list.push({ id: m.memberId, type: m.memberType });
      removed.set(m.groupId, list);
    }
  }
  async function users(top: string, before: boolean): Promise<Set<string>> {
    const out = new Set<string>();
    const seen = new Set([top]);
    let frontier = [top];
    while (frontier.length > 0) {
      await load(frontier);
      const next: string[] = [];
      for (const g of frontier) {
        let members = stored.get(g) ?? [];
        if (before) {
          const gone = added.get(g);
          members = [...members.filter((m) => !gone?.has(m.id)), ...(removed.get(g) ?? [])];
        }
        for (const m of members) {
          if (m.type === 'group') {
            if (!seen.has(m.id)) {
              seen.add(m.id);
              next.push(m.id);
            }
          } else out.add(m.id);
        }
      }
      frontier = next;
    }
    return out;
  }
  const direct = new Set(changes.memberships.map((m) => `${m.groupId}/${m.memberId}`));
  const out: DraftEvent[] = [];
  for (const groupId of watched) {
    const after = await users(groupId, false);
    const before = await users(groupId, true);
    const emit = (type: 'membership.added' | 'membership.removed', memberId: string) => {
      if (direct.has(`${groupId}/${memberId}`)) return;
      out.push({ type, objectId: groupId, data: { groupId, memberId, memberType: 'user', transitive: true } });
    };
    for (const id of after) if (!before.has(id)) emit('membership.added', id);
    for (const id of before) if (!after.has(id)) emit('membership.removed', id);
  }
  return out;
}

/**
 * The AppliedChangeHook that turns applied writes into directory events: stored in the outbox with the next cursors
 * of the connection, and queued for each matching webhook, all in the write's transaction (so a crash loses neither
 * the change nor its event, and a rolled-back write leaves neither).
 */
export function createEventRecorder(options: { clock: Clock }): AppliedChangeHook {
  return async (tx, cid, changes, context) => {
    if (changes.baseline) return;
    const drafts = deriveEvents(changes);
    const webhooks = await webhooksOf(tx, cid);
    const watched = new Set(webhooks.flatMap((w) => w.groups));
    for (const draft of await transitiveEvents(tx, cid, changes, watched)) drafts.push(draft);
    if (drafts.length === 0) return;
    await refineCreated(tx, cid, drafts);
    const connection = await tx.selectFrom('connections').select('name').where('id', '=', cid).executeTakeFirst();
    const cursor = await tx
      .insertInto('event_cursors')
      .values({ connection_id: cid, last_seq: drafts.length })
      .onConflict((oc) =>
        oc
          .column('connection_id')
          .doUpdateSet((eb) => ({ last_seq: eb('event_cursors.last_seq', '+', drafts.length) })),
      )
      .returning('last_seq')
      .executeTakeFirstOrThrow();
    const first = Number(cursor.last_seq) - drafts.length + 1;
    const now = options.clock.now().toISOString();
    const rows = drafts.map((d, i) => ({
      connection_id: cid,
      seq: first + i,
      connection_name: connection?.name ?? cid,
      type: d.type,
      object_id: d.objectId,
      occurred_at: now,
      source: context.source,
      run_id: context.runId ?? null,
      data: JSON.stringify(context.actor ? { ...d.data, actor: context.actor } : d.data),
    }));
    for (const part of chunks(rows)) await tx.insertInto('directory_events').values(part).execute();
    const deliveries = rows.flatMap((row, i) => {
      const draft = drafts[i] as DraftEvent;
      const group = eventGroupId(draft.type, draft.data);
      const transitive = draft.data.transitive === true;
      return webhooks
        .filter((w) => w.types.length === 0 || w.types.includes(draft.type))
        .filter((w) => (w.groups.length === 0 ? !transitive : group !== undefined && w.groups.includes(group)))
        .map((w) => ({
          webhook_id: w.id,
          connection_id: cid,
          event_seq: row.seq,
          status: 'pending',
          attempts: 0,
          created_at: now,
          next_attempt_at: now,
        }));
    });
    for (const part of chunks(deliveries)) await tx.insertInto('webhook_deliveries').values(part).execute();
    const scope = currentChangeScope();
    if (scope) scope.events += rows.length;
    eventMetrics.produced += rows.length;
    eventSignals.emit('written', cid);
  };
}
