// Membership check latency (issue 5, measurement 7): random user/group pairs against the in-memory index, and a
// smaller sample through the DirectoryService (id lookups in SQLite included).
import type { Gatehouse } from '../src/main.js';
import { percentile, seededRandom } from './sync-support.js';

export async function measureChecks(gatehouse: Gatehouse, count: number) {
  const cid = (await gatehouse.connections.get('bench')).id;
  const reader = gatehouse.directory.reader;
  const users = await reader.listIds(cid, 'user');
  const groups = await reader.listIds(cid, 'group');
  const index = await gatehouse.directory.index(cid);
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
    memberPct: round((members / count) * 100),
    indexP50Us: round(percentile(times, 50)),
    indexP99Us: round(percentile(times, 99)),
    serviceP50Us: round(percentile(service, 50)),
    serviceP99Us: round(percentile(service, 99)),
  };
}
