// Child of bench/sync-rss.ts: starts the emulator (its own process), syncs into a fresh gatehouse, samples this
// process's RSS every 50 ms and prints {"peakRssMb","ms"}.
import { openBenchGatehouse, startEmulatorProcess } from './sync-support.js';

const [users = '1000000', groups = '50000'] = process.argv.slice(2);
const emulator = await startEmulatorProcess(['--users', users, '--groups', groups, '--seed', 'bench']);
let peak = process.memoryUsage().rss;
const sampler = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage().rss);
}, 50);
try {
  const { gatehouse } = await openBenchGatehouse(emulator.summary);
  const report = await gatehouse.sync.run('bench');
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  process.stdout.write(
    `${JSON.stringify({ peakRssMb: Math.round(peak / 1e6), ms: report.durationMs, status: report.status })}\n`,
  );
  await gatehouse.close();
} finally {
  clearInterval(sampler);
  await emulator.stop();
}
