// Sync benchmark (issue 5): `npm run bench -- sync [--users 100000] [--groups 5000] [--latency-ms 20]
//   [--skip latency,throttling,naive] [--million] [--no-write]`
// The emulator runs as a separate process; gatehouse runs here on a temp SQLite data dir. Writes the "Sync" section
// of BENCHMARKS.md with the figures and the command.
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { GROUP_SELECT } from '../src/entra/graph-directory-source.js';
import type { Gatehouse } from '../src/main.js';
import type { SyncReport } from '../src/sync/ports.js';
import { fetchOnlyFloor, naiveSync, type WalkResult } from './sync-baselines.js';
import { measureChecks } from './sync-checks.js';
import { mutateOnePercent } from './sync-mutate.js';
import { runRssChild } from './sync-rss.js';
import {
  dropBenchSchema,
  type EmulatorSummary,
  openBenchGatehouse,
  startEmulatorProcess,
  writeBenchmarkSection,
} from './sync-support.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '100000' },
    groups: { type: 'string', default: '5000' },
    'latency-ms': { type: 'string', default: '20' },
    checks: { type: 'string', default: '100000' },
    skip: { type: 'string', default: '' },
    million: { type: 'boolean', default: false },
    'no-write': { type: 'boolean', default: false },
    // `postgres`: gatehouse's store is a fresh schema on GATEHOUSE_BENCH_DATABASE_URL (or GATEHOUSE_TEST_DATABASE_URL).
    engine: { type: 'string', default: 'sqlite' },
    // The emulator's realism profile (src/emulator/README.md "Realism"); exact keeps request counts comparable.
    profile: { type: 'string', default: 'exact' },
  },
});
const postgresUrl =
  values.engine === 'postgres'
    ? process.env.GATEHOUSE_BENCH_DATABASE_URL || process.env.GATEHOUSE_TEST_DATABASE_URL
    : undefined;
if (values.engine !== 'sqlite' && !postgresUrl) {
  process.stderr.write('--engine postgres needs GATEHOUSE_BENCH_DATABASE_URL (or GATEHOUSE_TEST_DATABASE_URL)\n');
  process.exit(2);
}
const skip = new Set(values.skip.split(',').filter(Boolean));
if (values.profile !== 'exact' && values.profile !== 'realistic') {
  process.stderr.write('--profile must be exact or realistic\n');
  process.exit(2);
}
const tenantArgs = ['--users', values.users, '--groups', values.groups, '--seed', 'bench', '--profile', values.profile];
const log = (line: string) => process.stderr.write(`[bench sync] ${line}\n`);
log(`emulator profile: ${values.profile}`);
/** The emulator's replication lag reaches 3 s under `realistic` (src/emulator/realism.ts), plus a margin. */
const REALISTIC_MAX_LAG_MS = 3_200;
const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

interface Scenario {
  floor: WalkResult;
  full: SyncReport;
  /** CPU of this process during the full sync (fetch, parse, plan and write; the emulator is another process). */
  fullCpuMs: number;
  naive?: WalkResult;
}

async function fullSync(
  summary: EmulatorSummary,
): Promise<{ gatehouse: Gatehouse; report: SyncReport; cpuMs: number; schema?: string }> {
  const { gatehouse, schema } = await openBenchGatehouse(summary, postgresUrl);
  let gcMs = 0;
  const gc = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gcMs += entry.duration;
  });
  gc.observe({ entryTypes: ['gc'] });
  const cpu = process.cpuUsage();
  const report = await gatehouse.sync.run('bench');
  const used = process.cpuUsage(cpu);
  // Entries not yet handed to the callback (delivered in a later task; a synchronous build gets none before here).
  for (const entry of gc.takeRecords()) gcMs += entry.duration;
  gc.disconnect();
  log(`full sync: ${Math.round(gcMs)} ms in garbage collection`);
  if (report.status !== 'succeeded') throw new Error(`sync ${report.status}: ${JSON.stringify(report.errors)}`);
  return { gatehouse, report, cpuMs: (used.user + used.system) / 1000, ...(schema ? { schema } : {}) };
}

async function scenario(
  extra: string[],
  withNaive: boolean,
  keep?: (g: Gatehouse, s: EmulatorSummary) => Promise<void>,
) {
  const emulator = await startEmulatorProcess([...tenantArgs, ...extra]);
  try {
    log(`emulator up in ${s(emulator.summary.startupMs)} (${emulator.summary.rssMb} MB); fetch-only floor…`);
    const floor = await fetchOnlyFloor(emulator.summary, GROUP_SELECT);
    log(`floor ${s(floor.ms)}, ${floor.requests} requests; gatehouse full sync…`);
    const { gatehouse, report, cpuMs, schema } = await fullSync(emulator.summary);
    log(`full ${s(report.durationMs)}, ${report.requests} requests, ${Math.round(cpuMs)} ms CPU`);
    let naive: WalkResult | undefined;
    if (withNaive) {
      naive = await naiveSync(emulator.summary, join(mkdtempSync(join(tmpdir(), 'gatehouse-naive-')), 'naive.db'));
      log(`naive ${s(naive.ms)}, ${naive.requests} requests`);
    }
    await keep?.(gatehouse, emulator.summary);
    await gatehouse.close();
    if (postgresUrl && schema) await dropBenchSchema(postgresUrl, schema);
    return { floor, full: report, fullCpuMs: cpuMs, ...(naive ? { naive } : {}) } as Scenario;
  } finally {
    await emulator.stop();
  }
}

/** What limits the figures that miss their targets, and what would lift them (kept with every table). */
const NOTES = `Notes.
- The first sync overlaps fetching and writing (the next page is read while one is written), so its time is
  max(fetch, write). Without latency the SQLite write path is the limit. Compare the CPU row, not the wall times:
  on a machine shared with other work (see the load above) the wall times move 2-10x between runs, and even the
  floor's own CPU per object moved 2x between two runs of this session; gatehouse's CPU per object is the stable figure.
- Issue 13 (write path), CPU per 1,000 objects of a store-only first sync (\`npm run bench -- sync-store --users 20000
  --groups 1000\`: 20,000 users, 160,000 links through applyPages, one transaction per page with its checkpoint;
  three runs each, load average 17-25):
  | step | CPU ms / 1,000 objects | per link | per user |
  |---|---|---|---|
  | before (Kysely, one compiled 500-row statement per chunk) | 12.0-13.1 | 10.0-10.4 µs | 25-32 µs |
  | prepared better-sqlite3 statements, reused per handle (50-row + 1-row), prepared probes | 8.2-8.4 | 5.9-6.2 µs | 23-24 µs |
  | + memberships WITHOUT ROWID (migration 0013) | 6.8-7.5 | 5.0-5.6 µs | 20-21 µs |
  | + checkpoint every 10,000 WAL pages (100,000 users, 2 links each) | -10-14% total | = | 29 vs 33-36 µs |
  | + prepared per-page statements (directory version, checkpoint, pending-removal probe) | 6.0-7.1 (was 6.6-7.3) | 4.1-4.6 µs | 20-26 µs |
  PostgreSQL (same store bench, \`--engine postgres\`, client CPU; the server's CPU is not counted): 10.2-11.4 → 8.8-9.2
  ms per 1,000 objects with \`INSERT … SELECT FROM unnest($arrays)\` instead of multi-row VALUES; wall 13.9-19.3 s →
  10.7-13.5 s under load 17-19.
- What limits it now (\`node --cpu-prof\` of a 20,000-user first sync, on-thread time): SQLite's own B-tree work in
  the reused statements (~1.3 s) and the commit of each page (~1.4 s, WAL frames for every page a page of random
  ids dirties), then fetch + parse (~0.7 s); the per-page Kysely statements (checkpoint, directory version,
  pending-removal probe, ~0.5 s in that profile) now run prepared too, and statement compilation is gone from the
  profile. Each link is still a B-tree insert keyed by three 36-character text ids, and each user an upsert into a
  rowid table, its text primary key and the UPN index (~30% of a user's cost with random UPNs, measured by dropping
  the index in the store bench).
- Before issue 13 (commit b955a38, this bench with the CPU row, \`--skip latency,throttling\`, load average 24.5 →
  27.7): CPU ms per 1,000 objects floor / gatehouse / naive 4.38 / 25.97 / 9.38, gatehouse 24.1 s CPU for the full
  sync; after the bulk path and migration 0013 (load 22.8 → 19.3): 2.16 / 18.07 / 9.10, 16.7 s CPU. The floor's CPU
  halved between those runs with no change to it, so read gatehouse's own CPU (-31%), not the ratio to the floor.
- The next lever, not done (issue 13 item "integer surrogate keys"): a per-connection id map (object id → integer)
  so a link row is three integers. A better-sqlite3 micro-benchmark of the same 200,000 link upserts, 500 per
  transaction: text keys 3.6-4.9 µs per link, integer keys WITHOUT ROWID 1.0-1.5 µs. Every read (members, member-of,
  the membership graph, reconcile, removals) then joins through the map, and existing stores need a migration on
  both engines; it did not fit the session safely. Building the UPN index after a first full round is worth up to
  ~30% of the users' cost but the index is shared by every connection of the instance, so dropping it during one
  connection's first sync would slow the others' UPN lookups; not done. A writer on a worker thread would overlap
  parsing with writing on two cores, but writing is already ~5x the fetch, so it would hide at most the fetch.
- Earlier fixes: dropping the (connection, member) index (migration 0012) took a 50,000-user first sync from 108 s
  to 39 s under the same load; per-group deletes instead of OR-of-pairs scans took the 1% incremental from 300 s to
  under 1 s.
- With 20 ms latency the sync costs ~1.1x the floor: the writes of the last pages and the reconcile/commit at the
  end are not hidden behind fetching.
- Request counts: gatehouse's first sync reads users with $top=999 list pages after a $deltatoken=latest link and
  takes groups with members from the groups delta round, at most 500 member links per page as the real service
  (facts C.3a), so ~830,000 links need at least ~1,660 pages; the emulator's default quirks (every 5th delta page
  empty, every 3rd repeating an object) add to that. The naive approach needs at least one request per group, so its
  ratio grows with the number of groups (2.55x here). Lifting it to 3x means fewer requests per link: e.g. reading
  the members of big groups with /groups/{id}/members?$top=999 (999 links per request, but 3 resource units each
  instead of 1), a trade against the resource-unit ratio (5x today).
- Incremental syncs ask only for the two delta links (plus follow-up pages) and scale with the change, not the tenant.
- Membership checks are a breadth-first walk up from the user's direct groups in memory; the service figure adds the
  SQLite lookups that resolve the user and group (by id or UPN/displayName).
- Throttled run: the large-tenant budget (8,000 resource units per 10 s) would allow the requests of a full sync in
  the time shown; the sync takes longer than that, so no 429 came and Graph's budget is not what limits it.
- 6, 1,000,000 users and 50,000 groups: \`npm run bench -- sync --million\` (or alone:
  \`node --import tsx bench/sync-rss-child.ts 1000000 50000\`); the emulator (a separate process, ~1.25 GB) is not
  counted.
- The machine was shared with other work during the session: figures move by 2-10x with the load (the load average
  is printed above); compare ratios from one run, not runs with each other.`;

const started = new Date();
let incremental: SyncReport | undefined;
let checks: Awaited<ReturnType<typeof measureChecks>> | undefined;
const plain = await scenario([], !skip.has('naive'), async (gatehouse, summary) => {
  await mutateOnePercent(gatehouse, summary);
  // Under `realistic` the changes replicate for up to 3 s (the emulator's lag range): a scheduled sync runs later
  // than that, so wait it out instead of timing a sync that cannot see the changes yet.
  if (values.profile === 'realistic') await new Promise((resolve) => setTimeout(resolve, REALISTIC_MAX_LAG_MS));
  incremental = await gatehouse.sync.run('bench');
  log(
    `incremental ${s(incremental.durationMs)}, ${incremental.requests} requests, ${incremental.throttled} throttled, ` +
      `${incremental.users.updated} users updated, ${incremental.memberships.added + incremental.memberships.removed} links changed`,
  );
  checks = await measureChecks(gatehouse, Number(values.checks));
  log(`membership checks p50 ${checks.indexP50Us} µs, p99 ${checks.indexP99Us} µs`);
  log(`index reload after the sync ${checks.reloadMs} ms (plain join ${checks.plainReloadMs} ms)`);
});
const latency = skip.has('latency')
  ? undefined
  : await scenario(['--latency-ms', values['latency-ms']], !skip.has('naive'));
let throttled: SyncReport | undefined;
if (!skip.has('throttling')) {
  const emulator = await startEmulatorProcess([...tenantArgs, '--throttling']);
  try {
    throttled = (await fullSync(emulator.summary)).report;
    log(`throttled full ${s(throttled.durationMs)}, ${throttled.throttled} 429s, ${throttled.resourceUnits} RU`);
  } finally {
    await emulator.stop();
  }
}
const million = values.million ? await runRssChild(1_000_000, 50_000, values.profile) : undefined;

// ---- the table -----------------------------------------------------------------------------------------------
const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');
const mark = (ok: boolean) => (ok ? 'met' : '**not met**');
const rows: string[][] = [];
const add = (what: string, figure: string, target: string, verdict: string) =>
  rows.push([what, figure, target, verdict]);
const f = plain.full;
add(
  '1 fetch-only floor (no latency)',
  `${s(plain.floor.ms)}, ${plain.floor.requests} req, ${plain.floor.resourceUnits} RU`,
  '',
  '',
);
add(
  '2 gatehouse full sync (no latency)',
  `${s(f.durationMs)}, ${f.requests} req, ${f.resourceUnits} RU, ${f.users.added} users, ${f.groups.added} groups, ${f.memberships.added} links`,
  '',
  '',
);
const r0 = f.durationMs / plain.floor.ms;
add('full ÷ floor (no latency)', ratio(f.durationMs, plain.floor.ms), '≤ 1.3', mark(r0 <= 1.3));
// CPU per 1,000 objects gatehouse wrote (users + groups + links), the same denominator for all three: CPU is what
// decides how many tenants an instance serves, and a shared machine's load moves it far less than wall time.
const written = f.users.added + f.groups.added + f.memberships.added;
const per1000 = (cpuMs: number) => (written > 0 ? ((cpuMs / written) * 1000).toFixed(2) : 'n/a');
add(
  'CPU ms per 1,000 objects written: floor / gatehouse / naive (no latency)',
  `${per1000(plain.floor.cpuMs)} / ${per1000(plain.fullCpuMs)} / ${plain.naive ? per1000(plain.naive.cpuMs) : '–'} (${written} objects)`,
  '',
  '',
);
add('gatehouse CPU ÷ floor CPU (no latency)', ratio(plain.fullCpuMs, plain.floor.cpuMs), '', '');
if (plain.naive) {
  const n = plain.naive;
  add('3 naive approach (no latency)', `${s(n.ms)}, ${n.requests} req, ${n.resourceUnits} RU`, '', '');
  add('naive ÷ gatehouse requests', ratio(n.requests, f.requests), '≥ 3', mark(n.requests / f.requests >= 3));
  add(
    'naive ÷ gatehouse resource units',
    ratio(n.resourceUnits, f.resourceUnits),
    '≥ 3',
    mark(n.resourceUnits / f.resourceUnits >= 3),
  );
}
if (incremental) {
  add('4 incremental after 1% change', `${s(incremental.durationMs)}, ${incremental.requests} req`, '', '');
  const t = incremental.durationMs / f.durationMs;
  const q = incremental.requests / f.requests;
  add(
    'incremental ÷ full (time, requests)',
    `${(t * 100).toFixed(1)}%, ${(q * 100).toFixed(1)}%`,
    '≤ 5% each',
    mark(t <= 0.05 && q <= 0.05),
  );
}
if (latency) {
  const l = latency.full;
  add(
    `5 floor with ${values['latency-ms']} ms latency`,
    `${s(latency.floor.ms)}, ${latency.floor.requests} req`,
    '',
    '',
  );
  add(`5 full sync with ${values['latency-ms']} ms latency`, `${s(l.durationMs)}, ${l.requests} req`, '', '');
  add(
    'full ÷ floor (latency)',
    ratio(l.durationMs, latency.floor.ms),
    // Issue 13's target (the first wave's was 1.1).
    '≤ 1.05',
    mark(l.durationMs / latency.floor.ms <= 1.05),
  );
  if (latency.naive) {
    add(
      `5 naive with ${values['latency-ms']} ms latency`,
      `${s(latency.naive.ms)}, ${latency.naive.requests} req`,
      '',
      '',
    );
    add(
      'naive ÷ gatehouse time (latency)',
      ratio(latency.naive.ms, l.durationMs),
      '≥ 4',
      mark(latency.naive.ms / l.durationMs >= 4),
    );
  }
}
if (million) {
  add(
    '6 peak RSS, 1,000,000-user sync',
    `${million.peakRssMb} MB (${s(million.ms)})`,
    '≤ 300 MB',
    mark(million.peakRssMb <= 300),
  );
  add(
    '6 1,000,000-user full sync time, CPU',
    `${s(million.ms)}, ${s(million.cpuMs)} CPU`,
    '≤ 60 s',
    mark(million.ms <= 60_000),
  );
}
if (checks) {
  add(
    `7 membership check, ${checks.count} random pairs (${checks.memberPct}% members)`,
    `p50 ${checks.indexP50Us} µs, p99 ${checks.indexP99Us} µs (index); service incl. DB lookups p50 ${checks.serviceP50Us} µs, p99 ${checks.serviceP99Us} µs`,
    // Issue 13 keeps the index at the 8.1 µs it measured then: ≤ 10 µs (the first wave's target was 50 µs).
    'p99 ≤ 10 µs',
    mark(checks.indexP99Us <= 10),
  );
}
if (checks) {
  add(
    '7b membership index rebuilt after a sync changed the directory (the first check waits for it): gatehouse / plain join',
    `${checks.reloadMs} ms / ${checks.plainReloadMs} ms`,
    '',
    '',
  );
}
if (throttled) {
  // Large-tenant budget (facts C.8): 8,000 resource units per 10 s per app and tenant.
  const budgetMs = (throttled.resourceUnits / 8000) * 10_000;
  add(
    '8 full sync with RU throttling (L budget)',
    `${s(throttled.durationMs)}, ${throttled.requests} req, ${throttled.resourceUnits} RU, ${throttled.throttled} × 429; budget allows ${s(budgetMs)}`,
    '',
    '',
  );
}

const command = `npm run bench -- sync --users ${values.users} --groups ${values.groups}${values.skip ? ` --skip ${values.skip}` : ''}${values.million ? ' --million' : ''}${postgresUrl ? ' --engine postgres' : ''}`;
const table = [
  '| measurement | figure | target | |',
  '|---|---|---|---|',
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');
const load = loadavg()
  .map((n) => n.toFixed(1))
  .join(' / ');
const body = `Measured ${started.toISOString()} with \`${command}\` (tenant: ${values.users} users, ${values.groups} groups,
nesting 4 deep, emulator as a separate process, gatehouse on ${postgresUrl ? 'PostgreSQL 15 (local, a fresh schema)' : 'SQLite in a temp dir'}; ${process.platform} ${process.arch},
Node ${process.version}, 2 cores shared with other work: load average at the end ${load}).

${table}

${NOTES}
`;
process.stdout.write(`${table}\n`);
if (!values['no-write']) writeBenchmarkSection(postgresUrl ? 'Sync (PostgreSQL)' : 'Sync', body);
