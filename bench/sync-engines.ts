// Sync on both stores (issue 8): `npm run bench -- sync-engines [--users 20000] [--groups 1000] [--latency-ms 0]
//   [--no-write]`. One emulator process; the same tenant synced into SQLite (temp data dir) and into PostgreSQL (a
// fresh schema on GATEHOUSE_BENCH_DATABASE_URL, else GATEHOUSE_TEST_DATABASE_URL; skipped when neither is set).
// Measures a full sync, an incremental sync after a 1% change, and loading the membership index from the store.
// Writes the "Sync: SQLite and PostgreSQL" section of BENCHMARKS.md.
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { type Gatehouse, openGatehouse } from '../src/main.js';
import type { Engine } from '../src/store/engine.js';
import type { SyncReport } from '../src/sync/ports.js';
import { mutateOnePercent } from './sync-mutate.js';
import { dropBenchSchema, type EmulatorSummary, startEmulatorProcess, writeBenchmarkSection } from './sync-support.js';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '20000' },
    groups: { type: 'string', default: '1000' },
    'latency-ms': { type: 'string', default: '0' },
    'no-write': { type: 'boolean', default: false },
  },
});
const log = (line: string) => process.stderr.write(`[bench sync-engines] ${line}\n`);
const databaseUrl = process.env.GATEHOUSE_BENCH_DATABASE_URL || process.env.GATEHOUSE_TEST_DATABASE_URL || undefined;
const schema = `gh_bench_${randomBytes(4).toString('hex')}`;

interface Figures {
  full?: SyncReport;
  incremental?: SyncReport;
  indexLoadMs?: number;
}

async function open(engine: Engine, summary: EmulatorSummary): Promise<Gatehouse> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const gatehouse = await openGatehouse({
    dataDir,
    masterKey: randomBytes(32).toString('base64'),
    ...(engine === 'postgres' ? { databaseUrl, databaseSchema: schema, migrations: 'auto' as const } : {}),
  });
  const parameters = Object.entries(summary.connection).map(([key, value]) => ({ key, value }));
  await gatehouse.connections.create({ name: 'bench', type: 'EntraID', parameters });
  return gatehouse;
}

async function run(gatehouse: Gatehouse): Promise<SyncReport> {
  const report = await gatehouse.sync.run('bench');
  if (report.status !== 'succeeded') throw new Error(`sync ${report.status}: ${JSON.stringify(report.errors)}`);
  return report;
}

/** Loads the whole membership graph from the store, as a membership check on a cold instance does. */
async function indexLoadMs(gatehouse: Gatehouse): Promise<number> {
  const id = (await gatehouse.connections.get('bench')).id;
  const started = performance.now();
  await gatehouse.directory.reader.loadMembershipGraph(id);
  return performance.now() - started;
}

const engines: Engine[] = databaseUrl ? ['sqlite', 'postgres'] : ['sqlite'];
if (!databaseUrl) log('PostgreSQL SKIPPED: set GATEHOUSE_BENCH_DATABASE_URL or GATEHOUSE_TEST_DATABASE_URL');
const emulator = await startEmulatorProcess([
  '--users',
  values.users,
  '--groups',
  values.groups,
  '--seed',
  'bench',
  ...(values['latency-ms'] !== '0' ? ['--latency-ms', values['latency-ms']] : []),
]);
const figures = new Map<Engine, Figures>(engines.map((e) => [e, {}]));
const opened = new Map<Engine, Gatehouse>();
try {
  for (const engine of engines) {
    const gatehouse = await open(engine, emulator.summary);
    opened.set(engine, gatehouse);
    log(`${engine}: full sync…`);
    const full = await run(gatehouse);
    Object.assign(figures.get(engine) ?? {}, { full, indexLoadMs: await indexLoadMs(gatehouse) });
    log(`${engine}: full ${(full.durationMs / 1000).toFixed(1)} s`);
  }
  // One change of the tenant, then each store catches up through its delta links.
  await mutateOnePercent(opened.get('sqlite') as Gatehouse, emulator.summary);
  for (const engine of engines) {
    const incremental = await run(opened.get(engine) as Gatehouse);
    Object.assign(figures.get(engine) ?? {}, { incremental });
    log(`${engine}: incremental ${(incremental.durationMs / 1000).toFixed(1)} s`);
  }
} finally {
  await Promise.all([...opened.values()].map((g) => g.close()));
  await emulator.stop();
  if (databaseUrl) await dropBenchSchema(databaseUrl, schema);
}

const objects = (r?: SyncReport) => (r ? r.users.added + r.groups.added : 0);
const cell = (engine: Engine, pick: (f: Figures) => string) => {
  const f = figures.get(engine);
  return f?.full ? pick(f) : 'skipped';
};
const rows: [string, (f: Figures) => string][] = [
  ['full sync', (f) => `${((f.full?.durationMs ?? 0) / 1000).toFixed(1)} s`],
  ['objects/s (full)', (f) => `${Math.round(objects(f.full) / ((f.full?.durationMs ?? 1) / 1000))}`],
  ['memberships written (full)', (f) => `${f.full?.memberships.added ?? 0}`],
  ['Graph requests (full)', (f) => `${f.full?.requests ?? 0}`],
  ['incremental sync after a 1% change', (f) => `${((f.incremental?.durationMs ?? 0) / 1000).toFixed(2)} s`],
  ['load membership index from the store', (f) => `${Math.round(f.indexLoadMs ?? 0)} ms`],
];
const table = [
  '| measurement | SQLite | PostgreSQL |',
  '|---|---|---|',
  ...rows.map(([label, pick]) => `| ${label} | ${cell('sqlite', pick)} | ${cell('postgres', pick)} |`),
].join('\n');
const command = `npm run bench -- sync-engines --users ${values.users} --groups ${values.groups}${values['latency-ms'] !== '0' ? ` --latency-ms ${values['latency-ms']}` : ''}`;
const body = `${table}

Same tenant (${values.users} users, ${values.groups} groups, emulator in its own process${values['latency-ms'] !== '0' ? `, ${values['latency-ms']} ms latency` : ''}) synced into each store by the same code; PostgreSQL 15 on the same machine (127.0.0.1, one fresh schema), SQLite in WAL mode on local disk. Load average at the end: ${loadavg()
  .map((l) => l.toFixed(1))
  .join(' ')} (2 cores shared with other builds: compare the columns, not the absolute figures, with other runs).

Reproduce: \`GATEHOUSE_TEST_DATABASE_URL=postgres://postgres@127.0.0.1:5432/test ${command}\` (${new Date().toISOString().slice(0, 10)}).`;
process.stdout.write(`${table}\n`);
if (!values['no-write']) writeBenchmarkSection('Sync: SQLite and PostgreSQL', body);
