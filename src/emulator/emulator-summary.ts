import type { Emulator } from './index.js';

/** What `gatehouse emulator` prints: where it listens, the tenant, and the ready-to-use connection. */
export function emulatorSummary(emulator: Emulator) {
  return {
    url: emulator.url,
    tenant: { id: emulator.tenant.id, domain: emulator.tenant.domain },
    connection: emulator.connection,
    counts: emulator.directory.counts(),
  };
}

export function emulatorSummaryLines(emulator: Emulator): string[] {
  const s = emulatorSummary(emulator);
  const c = s.connection;
  return [
    `Entra ID + Microsoft Graph emulator listening on ${s.url}`,
    `Tenant ${s.tenant.domain} (${s.tenant.id}): ${s.counts.user} users, ${s.counts.group} groups, ${s.counts.device} devices, ${s.counts.servicePrincipal} service principals`,
    '',
    'Connection parameters (EntraID):',
    `  TenantID       ${c.TenantID}`,
    `  ClientID       ${c.ClientID}`,
    `  ClientSecret   ${c.ClientSecret}`,
    `  AuthorityHost  ${c.AuthorityHost}`,
    `  GraphEndpoint  ${c.GraphEndpoint}`,
    '',
    'Press Ctrl+C to stop.',
  ];
}

/** Resolves on the first SIGINT or SIGTERM (the emulator serves until then). */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const done = (signal: NodeJS.Signals) => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve(signal);
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
}
