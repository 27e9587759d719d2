// Child of bench/sync-rss.ts: starts the emulator (its own process), syncs into a fresh gatehouse, samples this
// process's RSS every 50 ms and prints {"peakRssMb","ms","cpuMs"}. Arguments: users groups [exact|realistic]
// [sqlite|postgres] [index]; postgres stores into a fresh schema of GATEHOUSE_TEST_DATABASE_URL, dropped at the end;
// `index` then times the membership index the first check after the sync builds (printed on stderr).
import { PerformanceObserver } from 'node:perf_hooks';
import { dropBenchSchema, openBenchGatehouse, startEmulatorProcess } from './sync-support.js';

const [users = '1000000', groups = '50000', profile = 'exact', engine = 'sqlite', extra] = process.argv.slice(2);
const withIndex = extra === 'index';
const postgresUrl = engine === 'postgres' ? process.env.GATEHOUSE_TEST_DATABASE_URL : undefined;
if (engine === 'postgres' && !postgresUrl) throw new Error('set GATEHOUSE_TEST_DATABASE_URL for postgres');
// The profile is named: the emulator's own default (realistic) would add random 429s' waits to the figure.
const emulator = await startEmulatorProcess([
  '--users',
  users,
  '--groups',
  groups,
  '--seed',
  'bench',
  '--profile',
  profile,
]);
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);
try {
  const { gatehouse, schema } = await openBenchGatehouse(emulator.summary, postgresUrl);
  const cpu = process.cpuUsage();
  const report = await gatehouse.sync.run('bench');
  const used = process.cpuUsage(cpu);
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  process.stdout.write(
    `${JSON.stringify({
      peakRssMb: Math.round(peak / 1e6),
      ms: report.durationMs,
      cpuMs: Math.round((used.user + used.system) / 1000),
      status: report.status,
      engine,
    })}\n`,
  );
  if (withIndex) {
    // The membership index the first check after this sync waits for (stderr: the parent reads stdout's one line).
    let gcMs = 0;
    const gc = new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) gcMs += entry.duration;
    });
    gc.observe({ entryTypes: ['gc'] });
    const started = performance.now();
    const index = await gatehouse.directory.index((await gatehouse.connections.get('bench')).id);
    const indexMs = Math.round(performance.now() - started);
    // Entries not yet handed to the callback (delivered in a later task; a synchronous build gets none before here).
    for (const entry of gc.takeRecords()) gcMs += entry.duration;
    gc.disconnect();
    const { rss, heapUsed } = process.memoryUsage();
    const figures = { indexMs, gcMs: Math.round(gcMs), size: index.size, rssMb: Math.round(rss / 1e6) };
    process.stderr.write(`${JSON.stringify({ ...figures, heapMb: Math.round(heapUsed / 1e6) })}\n`);
  }
  await gatehouse.close();
  if (postgresUrl && schema) await dropBenchSchema(postgresUrl, schema);
} finally {
  clearInterval(sampler);
  await emulator.stop();
}
