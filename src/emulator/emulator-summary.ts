import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Emulator } from './index.js';

/** What `gatehouse emulator` prints: where it listens, the tenant, and the ready-to-use connection. */
export function emulatorSummary(emulator: Emulator, tlsCertificateFile?: string) {
  return {
    url: emulator.url,
    tenant: { id: emulator.tenant.id, domain: emulator.tenant.domain },
    connection: emulator.connection,
    counts: emulator.directory.counts(),
    ...(tlsCertificateFile ? { tlsCertificateFile } : {}),
  };
}

/**
 * Writes a self-signed emulator certificate to a temp file clients can trust (NODE_EXTRA_CA_CERTS); returns the path
 * and a cleanup. Nothing to do for plain http.
 */
export function writeTlsCertificate(emulator: Emulator): { file: string | undefined; remove: () => void } {
  if (!emulator.tlsCertificatePem) return { file: undefined, remove: () => {} };
  const dir = mkdtempSync(join(tmpdir(), 'gatehouse-emulator-'));
  const file = join(dir, 'emulator-certificate.pem');
  writeFileSync(file, emulator.tlsCertificatePem);
  return { file, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export function emulatorSummaryLines(emulator: Emulator, tlsCertificateFile?: string): string[] {
  const s = emulatorSummary(emulator, tlsCertificateFile);
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
    ...(tlsCertificateFile
      ? [
          `Self-signed TLS certificate: ${tlsCertificateFile} (trust it with NODE_EXTRA_CA_CERTS=${tlsCertificateFile})`,
          '',
        ]
      : []),
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
