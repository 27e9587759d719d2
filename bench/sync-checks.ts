// Membership check latency (issue 5, measurement 7): random user/group pairs against the in-memory index, and a
// smaller sample through the DirectoryService (id lookups in SQLite included).
import { MembershipIndex } from '../src/directory/membership-index.js';
import type { Gatehouse } from '../src/main.js';
import { percentile, seededRandom } from './sync-support.js';

export async function measureChecks(gatehouse: Gatehouse, count: number) {
  const cid = (await gatehouse.connections.get('bench')).id;
  const reader = gatehouse.directory.reader;
  const users = await reader.listIds(cid, 'user');
  const groups = await reader.listIds(cid, 'group');
  // The first check after a sync that changed the directory rebuilds the index from the store (and waits for it).
  const reloadStarted = performance.now();
  const index = await gatehouse.directory.index(cid);
  const reloadMs = performance.now() - reloadStarted;
  const plainReloadMs = await plainReload(gatehouse, cid);
  const random = seededRandom(7);
  const pick = <T>(items: T[]) => items[Math.floor(random() * items.length)] as T;
  const pairs = Array.from({ length: count }, () => [pick(users), pick(groups)] as const);
  for (const [u, g] of pairs.slice(0, 2000)) index.path(u, g); // warm up the JIT
  const times: number[] = [];
  let members = 0;
  for (const [u, g] of pairs) {
    const t0 = process.hrtime.bigint();
    const path = index.path(u, g);
    times.push(Number(process.hrtime.bigint() - t0) / 1000);
    if (path) members++;
  }
  times.sort((a, b) => a - b);
  const service: number[] = [];
  for (const [u, g] of pairs.slice(0, Math.min(2000, count))) {
    const t0 = process.hrtime.bigint();
    await gatehouse.directory.checkMembership(cid, u, g);
    service.push(Number(process.hrtime.bigint() - t0) / 1000);
  }
  service.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    count,
    reloadMs: Math.round(reloadMs),
    plainReloadMs: Math.round(plainReloadMs),
    memberPct: round((members / count) * 100),
    indexP50Us: round(percentile(times, 50)),
    indexP99Us: round(percentile(times, 99)),
    serviceP50Us: round(percentile(service, 50)),
    serviceP99Us: round(percentile(service, 99)),
  };
}

/**
 * The index rebuilt the plain way (gatehouse's own loader before this change): one join of every link with its group
 * id, as row objects, soft-deleted members filtered out in memory.
 */
async function plainReload(gatehouse: Gatehouse, cid: string): Promise<number> {
  const started = performance.now();
  const db = gatehouse.store.db;
  const groups = await db
    .selectFrom('directory_groups')
    .select(['id', 'display_name'])
    .where('connection_id', '=', cid)
    .execute();
  const rows = await db
    .selectFrom('directory_links as m')
    .innerJoin('directory_group_keys as k', 'k.key', 'm.group_key')
    .select(['k.group_id', 'm.member_id', 'm.member_type'])
    .where('k.connection_id', '=', cid)
    .execute();
  const deleted = await db
    .selectFrom('directory_users')
    .select('id')
    .where('connection_id', '=', cid)
    .where('soft_deleted', '=', 1)
    .execute();
  const hidden = new Set(deleted.map((r) => r.id));
  MembershipIndex.build({
    groups: groups.map((g) => ({ id: g.id, displayName: g.display_name })),
    links: rows
      .filter((r) => !hidden.has(r.member_id))
      .map((r) => ({
        groupId: r.group_id,
        memberId: r.member_id,
        memberType: r.member_type === 'group' ? 'group' : 'user',
      })),
  });
  return performance.now() - started;
}
