import type { Connection } from '../connections/connection.js';
import type { ConnectionChange } from '../connections/connection-service.js';
import { type ConnectionView, toConnectionView } from '../connections/connection-view.js';
import { credentialExpiryOf } from '../connections/credential-expiry-view.js';
import { formatTable } from './output.js';

/** The JSON a create/update/copy/import prints: the connection view plus what was trimmed and warned about. */
export function changeJson(change: ConnectionChange): ConnectionView & { trimmed: string[]; warnings: string[] } {
  return { ...toConnectionView(change.connection), trimmed: change.trimmed, warnings: change.warnings };
}

export function changeText(verb: string, change: ConnectionChange): string[] {
  const c = change.connection;
  return [
    `${verb} connection '${c.name}' (type ${c.type}, version ${c.version}, id ${c.id}).`,
    ...(change.trimmed.length > 0 ? [`Trimmed leading/trailing whitespace from: ${change.trimmed.join(', ')}.`] : []),
    ...change.warnings.map((w) => `warning: ${w}`),
  ];
}

function parameterText(view: ConnectionView['parameters'][number]): string {
  if (!view.secret) return view.value;
  const info = view.info ? Object.entries(view.info).map(([k, v]) => `${k} ${v}`) : [];
  const again = view.enterAgain ? ['ENTER AGAIN: entered for other hosts, not sent until entered again'] : [];
  return [`set ${view.setAt}`, `fingerprint ${view.fingerprint}`, ...info, ...again].join(', ');
}

export function connectionText(connection: Connection): string[] {
  const view = toConnectionView(connection);
  const lines = [
    `Name:     ${view.name}`,
    `Type:     ${view.type}`,
    `Id:       ${view.id}`,
    `Version:  ${view.version}`,
    `Created:  ${view.createdAt}`,
    `Updated:  ${view.updatedAt}`,
    'Parameters:',
    ...formatTable(view.parameters.map((p) => [`  ${p.key}`, parameterText(p)])).split('\n'),
  ];
  if (view.lastTest) {
    const outcome = view.lastTest.ok ? 'passed' : `failed (${view.lastTest.code ?? 'unknown'})`;
    lines.push(`Last test: ${outcome} at ${view.lastTest.at}`);
  }
  lines.push(...tokenStateText(view));
  return lines;
}

/** Token state (recorded by the token provider and the doctor) and credential expiry, for `connections show`. */
function tokenStateText(view: ConnectionView): string[] {
  const lines: string[] = [];
  const state = view.tokenState;
  if (state?.acquiredAt) lines.push(`Token:     obtained ${state.acquiredAt}, expires ${state.expiresAt ?? 'unknown'}`);
  if (state?.lastErrorCode) lines.push(`Token error: ${state.lastErrorCode} at ${state.lastErrorAt ?? 'unknown'}`);
  if (state?.roles)
    lines.push(`Roles:     ${state.roles.length > 0 ? state.roles.join(', ') : 'none (no application permissions)'}`);
  for (const p of view.parameters) {
    const expires = p.key === 'SecretExpiresOn' && !p.secret ? p.value : p.secret ? p.info?.notAfter : undefined;
    if (expires) lines.push(`Expires:   ${p.key === 'SecretExpiresOn' ? 'client secret' : p.key} on ${expires}`);
  }
  const fromGraph = view.lastTest?.credentialExpiry;
  if (fromGraph?.source === 'graph') {
    lines.push(
      `Expires:   ${fromGraph.credential === 'secret' ? 'client secret' : 'certificate'}${fromGraph.name ? ` '${fromGraph.name}'` : ''} on ${fromGraph.expiresAt} (read from Graph at the last test)`,
    );
  }
  return lines;
}

export function connectionListText(connections: readonly Connection[]): string[] {
  if (connections.length === 0) return ['No connections yet. Create one with `gatehouse connections create`.'];
  const rows = connections.map((c) => [
    c.name,
    c.type,
    String(c.version),
    c.updatedAt,
    c.lastTest ? (c.lastTest.ok ? 'passed' : `failed ${c.lastTest.code ?? ''}`.trim()) : 'never',
    expiryCell(c),
  ]);
  return [formatTable([['NAME', 'TYPE', 'VERSION', 'UPDATED', 'LAST TEST', 'CREDENTIAL EXPIRES'], ...rows])];
}

/** "2027-03-16 (graph)": the date and where it came from; "-" for secretless connections. */
function expiryCell(connection: Connection): string {
  const expiry = credentialExpiryOf(connection);
  return expiry ? `${expiry.expiresAt.slice(0, 10)} (${expiry.source})` : '-';
}
