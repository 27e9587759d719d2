// Store-only write benchmark (issue 13): `npm run bench -- sync-store [--users 100000] [--groups 5000]
//   [--links-per-user 8] [--engine sqlite|postgres] [--batch PAGES-PER-TRANSACTION]`
// Writes a synthetic first sync (user pages of 999, group pages of 500 links, as gatehouse's sync does) straight
// through the sync repository's applyPages (one transaction per --batch pages, with the last one's checkpoint), then reconcile and commit,
// without Graph or the emulator: the CPU the store costs per 1,000 objects, which a shared machine's load disturbs
// far less than wall time. Prints one JSON line; writes nothing to BENCHMARKS.md.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { DirectoryGroup, DirectoryUser, MembershipLink } from '../src/directory/directory-model.js';
import { openDatabase } from '../src/store/open-database.js';
import { createSyncRepository } from '../src/store/sync-repository.js';
import type { PagePlan, RoundState } from '../src/sync/ports.js';
import { dropBenchSchema, seededRandom } from './sync-support.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    groups: { type: 'string', default: '5000' },
    'links-per-user': { type: 'string', default: '8' },
    engine: { type: 'string', default: 'sqlite' },
    batch: { type: 'string', default: '1' },
  },
});
const userCount = Number(values.users);
const groupCount = Number(values.groups);
const linkCount = userCount * Number(values['links-per-user']);
const url = values.engine === 'postgres' ? process.env.GATEHOUSE_TEST_DATABASE_URL : undefined;
const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-store-bench-'));
const schema = `gh_sb_${randomBytes(4).toString('hex')}`;
const opened = await openDatabase({
  dataDir,
  ...(url ? { databaseUrl: url, schema, migrations: 'auto' as const } : {}),
});
const cid = randomUUID();
const store = createSyncRepository(opened.db);
const random = seededRandom(13);

const users: DirectoryUser[] = Array.from({ length: userCount }, (_, i) => ({
  id: randomUUID(),
  userPrincipalName: `${randomUUID().slice(0, 8)}.user${i}@bench.example`,
  displayName: `User ${i}`,
  mail: `user${i}@bench.example`,
  givenName: 'Given',
  surname: `Surname${i}`,
  jobTitle: 'Engineer',
  department: `Dept ${i % 50}`,
  accountEnabled: true,
}));
const groups: DirectoryGroup[] = Array.from({ length: groupCount }, (_, i) => ({
  id: randomUUID(),
  displayName: `Group ${i}`,
  description: null,
  mailEnabled: false,
  securityEnabled: true,
  groupTypes: [],
}));
// Links grouped by group (as the groups delta round delivers them), members drawn at random.
const links: MembershipLink[] = [];
for (let g = 0; g < groupCount; g++) {
  const group = groups[g] as DirectoryGroup;
  const n = Math.round(linkCount / groupCount);
  for (let k = 0; k < n; k++) {
    const user = users[Math.floor(random() * userCount)] as DirectoryUser;
    links.push({ groupId: group.id, memberId: user.id, memberType: 'user' });
  }
}

const empty: PagePlan = {
  upsertUsers: [],
  excludeUserIds: [],
  upsertGroups: [],
  addMemberships: [],
  removeUserIds: [],
  removeGroupIds: [],
  removeMemberships: [],
  softDeleteUserIds: [],
};
const usersRound = await store.nextRoundId(cid);
const groupsRound = await store.nextRoundId(cid);
const cpu0 = process.cpuUsage();
const t0 = performance.now();
// Pages per transaction: the sync engine writes the pages that are already fetched together (group commit).
const BATCH = Number(values.batch);
let pending: { plan: PagePlan; round: RoundState }[] = [];
async function flush(stream: 'users' | 'groups', roundId: number, force = false) {
  if (pending.length >= BATCH || (force && pending.length > 0)) {
    const writes = pending;
    await store.applyPages(cid, stream, roundId, async () => writes.shift());
    pending = [];
  }
}
for (let i = 0; i < users.length; i += 999) {
  const round = { mode: 'full' as const, roundId: usersRound, link: `users/${i}`, complete: false };
  pending.push({ plan: { ...empty, upsertUsers: users.slice(i, i + 999) }, round });
  await flush('users', usersRound);
}
await flush('users', usersRound, true);
const cpuUsers = process.cpuUsage(cpu0);
// Each group once with its first links, then the rest of the links 500 per page.
let g = 0;
for (let i = 0; i < links.length; i += 500) {
  const page = links.slice(i, i + 500);
  const pageGroups: DirectoryGroup[] = [];
  while (g < groupCount && pageGroups.length < 50) {
    pageGroups.push(groups[g] as DirectoryGroup);
    g++;
  }
  const round = { mode: 'full' as const, roundId: groupsRound, link: `groups/${i}`, complete: false };
  pending.push({ plan: { ...empty, upsertGroups: pageGroups, addMemberships: page }, round });
  await flush('groups', groupsRound);
}
await flush('groups', groupsRound, true);
if (g < groupCount) {
  const round = { mode: 'full' as const, roundId: groupsRound, complete: true };
  const last = [{ plan: { ...empty, upsertGroups: groups.slice(g) }, round }];
  await store.applyPages(cid, 'groups', groupsRound, async () => last.shift());
}
const cpuWrites = process.cpuUsage(cpu0);
await store.reconcile(cid, 'users', usersRound);
await store.reconcile(cid, 'groups', groupsRound);
await store.commit(cid, {
  deltaLinks: { users: 'u', groups: 'g' },
  fingerprint: 'f',
  syncedAt: new Date().toISOString(),
});
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const objects = userCount + groupCount + links.length;
const ms = (c: NodeJS.CpuUsage) => (c.user + c.system) / 1000;
process.stdout.write(
  `${JSON.stringify({
    engine: values.engine,
    pagesPerTransaction: BATCH,
    users: userCount,
    groups: groupCount,
    links: links.length,
    cpuMsPer1000Objects: Number(((ms(cpu) / objects) * 1000).toFixed(3)),
    cpuMsPer1000Users: Number(((ms(cpuUsers) / userCount) * 1000).toFixed(3)),
    cpuMsPer1000Links: Number((((ms(cpuWrites) - ms(cpuUsers)) / links.length) * 1000).toFixed(3)),
    cpuMsReconcileCommit: Math.round(ms(cpu) - ms(cpuWrites)),
    cpuMs: Math.round(ms(cpu)),
    wallMs: Math.round(wallMs),
    load: loadavg()[0]?.toFixed(1),
  })}\n`,
);
await opened.close();
rmSync(dataDir, { recursive: true, force: true });
if (url) await dropBenchSchema(url, schema);
