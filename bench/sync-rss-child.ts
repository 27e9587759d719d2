// Child of bench/sync-rss.ts: starts the emulator (its own process), syncs into a fresh gatehouse, samples this
// process's RSS every 50 ms and prints {"peakRssMb","ms","cpuMs"}. Arguments: users groups [exact|realistic]
// [sqlite|postgres]; postgres stores into a fresh schema of GATEHOUSE_TEST_DATABASE_URL, dropped at the end.
import { dropBenchSchema, openBenchGatehouse, startEmulatorProcess } from './sync-support.js';

const [users = '1000000', groups = '50000', profile = 'exact', engine = 'sqlite'] = process.argv.slice(2);
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
  await gatehouse.close();
  if (postgresUrl && schema) await dropBenchSchema(postgresUrl, schema);
} finally {
  clearInterval(sampler);
  await emulator.stop();
}
