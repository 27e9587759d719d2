// Starts the emulator as its own process (benchmarks, demos):
//   node --import tsx src/emulator/main.ts --users 1000000 --groups 50000 [--port 0] [--seed S] [--throttling]
// The first stdout line is the JSON summary with the connection; it serves until SIGINT/SIGTERM.
import { parseArgs } from 'node:util';
import { emulatorSummary, untilSignal, writeTlsCertificate } from './emulator-summary.js';
import { startEmulator } from './index.js';

const { values } = parseArgs({
  options: {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    users: { type: 'string', default: '0' },
    groups: { type: 'string', default: '0' },
    seed: { type: 'string', default: 'gatehouse' },
    'latency-ms': { type: 'string', default: '0' },
    'throttle-rate': { type: 'string', default: '0' },
    throttling: { type: 'boolean', default: false },
    // Benchmarks count requests: exact unless asked (`--profile realistic`).
    profile: { type: 'string', default: 'exact' },
    tls: { type: 'boolean', default: false },
  },
});

const started = performance.now();
const emulator = await startEmulator({
  host: values.host,
  port: Number(values.port),
  users: Number(values.users),
  groups: Number(values.groups),
  seed: values.seed,
  latencyMs: Number(values['latency-ms']),
  throttleRate: Number(values['throttle-rate']),
  throttling: values.throttling,
  profile: values.profile === 'realistic' ? 'realistic' : 'exact',
  ...(values.tls ? { tls: true as const } : {}),
});
const certificate = writeTlsCertificate(emulator);
const memory = process.memoryUsage();
const cpu = process.cpuUsage();
process.stdout.write(
  `${JSON.stringify({
    ...emulatorSummary(emulator, certificate.file),
    startupMs: Math.round(performance.now() - started),
    // CPU time of the whole start (module loading included): stable even on a busy machine.
    startupCpuMs: Math.round((cpu.user + cpu.system) / 1000),
    heapUsedMb: Math.round(memory.heapUsed / 1e6),
    rssMb: Math.round(memory.rss / 1e6),
  })}\n`,
);
await untilSignal();
certificate.remove();
await emulator.stop();
