// `npm run bench -- tokens [--rounds 30]`: token acquisition and the connection test against the in-process
// emulator with the real msal-node (BENCHMARKS.md "Tokens and the connection test").

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { EntraSettings } from '../src/connections/entra-id/entra-settings.js';
import { createManualClock } from '../src/core/clock.js';
import { silentLogger } from '../src/core/logger.js';
import { createSelfSignedCertificate, startOidcTestIssuer } from '../src/emulator/index.js';
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

/** Wall-clock median and the CPU time per call of this process (gatehouse, msal and the in-process emulator). */
async function measureKind(
  n: number,
  run: () => Promise<unknown>,
): Promise<{ medianMs: number; cpuMsPerCall: number }> {
  await run(); // warm up this kind's code paths
  const cpu = process.cpuUsage();
  const samples = await timeEach(n, run);
  const used = process.cpuUsage(cpu);
  return { medianMs: median(samples), cpuMsPerCall: (used.user + used.system) / 1000 / n };
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

  // Workload identity federation: a token file written by a loopback OIDC issuer (the emulator keeps its keys a minute).
  const issuer = await startOidcTestIssuer();
  const federatedApp = emulator.registerApp({ secret: false, applicationPermissions: ['User.Read.All'] });
  emulator.federation.addCredential(federatedApp.clientId, {
    issuer: issuer.issuer,
    subject: 'system:serviceaccount:bench:sa',
  });
  const tokenDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const tokenFile = join(tokenDir, 'token');
  writeFileSync(tokenFile, await issuer.mint({ subject: 'system:serviceaccount:bench:sa' }));
  const base = emulatorSettings(emulator);
  const federatedSettings: EntraSettings = {
    ...base,
    clientId: federatedApp.clientId,
    credential: { kind: 'assertionFile', path: tokenFile },
    credentialVersion: 'bench-federated',
  };
  // Managed identity: msal's IMDS source, pointed at the emulator the way msal allows (facts H.4).
  process.env.AZURE_POD_IDENTITY_AUTHORITY_HOST = emulator.url;
  const identity = emulator.managedIdentity.addUserAssigned({ roles: ['User.Read.All'] });
  const managedSettings: EntraSettings = {
    ...base,
    clientId: identity.clientId,
    credential: { kind: 'managedIdentity', identity: 'user' },
    credentialVersion: 'bench-managed',
  };

  await newProvider().getAccessToken(); // warm up msal and the emulator
  const secretCold = await timeEach(rounds, () => newProvider().getAccessToken());
  const certCold = await timeEach(rounds, () => newProvider(certSettings).getAccessToken());
  const perKind = [
    ['client secret', await measureKind(rounds, () => newProvider().getAccessToken())],
    [
      'certificate (PS256 assertion signed per request)',
      await measureKind(rounds, () => newProvider(certSettings).getAccessToken()),
    ],
    [
      'federated token file (read per request; emulator checks the FIC and the issuer key)',
      await measureKind(rounds, () => newProvider(federatedSettings).getAccessToken()),
    ],
    [
      'managed identity (IMDS GET through ManagedIdentityApplication)',
      await measureKind(rounds, () => newProvider(managedSettings).getAccessToken()),
    ],
  ] as const;
  await issuer.stop();
  rmSync(tokenDir, { recursive: true, force: true });

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
    `| full connection test (parameters, fresh token, permissions, 5 Graph probes, expiry read), median of ${doctorRuns.length} | ${median(doctorRuns).toFixed(1)} ms |`,
    '',
    `Cold token per credential kind (a new provider each time, so every call reaches the emulator), ${rounds} calls each:`,
    '',
    '| credential kind | median wall time | CPU per token (gatehouse + msal + emulator, one process) |',
    '|---|---|---|',
    ...perKind.map(([kind, m]) => `| ${kind} | ${m.medianMs.toFixed(1)} ms | ${m.cpuMsPerCall.toFixed(2)} ms |`),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
} finally {
  await fx.close();
}
