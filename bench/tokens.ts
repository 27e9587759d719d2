// `npm run bench -- tokens [--rounds 30]`: token acquisition and the connection test against the in-process
// emulator with the real msal-node (BENCHMARKS.md "Tokens and the connection test").
import { parseArgs } from 'node:util';
import { createManualClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { createSelfSignedCertificate } from '../src/emulator/index.js';
import { TokenProvider } from '../src/entra/token-provider.js';
import { emulatorSettings } from '../test/support/emulator-settings.js';
import { startGatehouseFixture } from '../test/support/gatehouse-fixture.js';

const { values } = parseArgs({ options: { rounds: { type: 'string', default: '30' } } });
const rounds = Number(values.rounds);

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

async function timeEach(n: number, run: () => Promise<unknown>): Promise<number[]> {
  const samples: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = performance.now();
    await run();
    samples.push(performance.now() - started);
  }
  return samples;
}

const fx = await startGatehouseFixture({ emulator: { seed: 'bench-tokens' } });
try {
  const { emulator } = fx;
  const newProvider = (settings = emulatorSettings(emulator)) =>
    new TokenProvider(settings, { clock: createManualClock(new Date()), logger: silentLogger });

  const certificate = createSelfSignedCertificate();
  const certApp = emulator.registerApp({
    secret: false,
    certificatePems: [certificate.certificatePem],
    applicationPermissions: ['User.Read.All'],
  });
  const certSettings = emulatorSettings(emulator, { clientId: certApp.clientId, certificate });

  await newProvider().getAccessToken(); // warm up msal and the emulator
  const secretCold = await timeEach(rounds, () => newProvider().getAccessToken());
  const certCold = await timeEach(rounds, () => newProvider(certSettings).getAccessToken());

  const cached = newProvider();
  await cached.getAccessToken();
  const calls = 200_000;
  const cachedStart = performance.now();
  for (let i = 0; i < calls; i++) await cached.getAccessToken();
  const cachedPerCallUs = ((performance.now() - cachedStart) * 1000) / calls;

  const concurrent = newProvider();
  emulator.clearRequestLog();
  await Promise.all(Array.from({ length: 1000 }, () => concurrent.getAccessToken()));
  const tokenRequests = emulator.requestLog().filter((e) => e.kind === 'token').length;

  const doctorRuns = await timeEach(Math.max(5, Math.floor(rounds / 3)), () =>
    fx.gatehouse.doctor.test(fx.connectionName),
  );

  const lines = [
    `Measured ${new Date().toISOString()}, load average ${(await import('node:os')).loadavg()[0]?.toFixed(1)}`,
    '',
    '| measure | figure |',
    '|---|---|',
    `| cold token, client secret (new msal app + POST to the emulator), median of ${rounds} | ${median(secretCold).toFixed(1)} ms |`,
    `| cold token, certificate (PS256 assertion signed per request), median of ${rounds} | ${median(certCold).toFixed(1)} ms |`,
    `| cached token, per call (${calls} sequential calls) | ${cachedPerCallUs.toFixed(2)} µs |`,
    `| 1,000 concurrent callers of one cold provider → token requests | ${tokenRequests} |`,
    `| full connection test (parameters, fresh token, permissions, 5 Graph probes), median of ${doctorRuns.length} | ${median(doctorRuns).toFixed(1)} ms |`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await fx.close();
}
