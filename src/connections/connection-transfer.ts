import { AppError } from '../core/errors.js';
import type { Connection } from './connection.js';
import {
  type ConnectionExport,
  EXPORT_FORMAT,
  EXPORT_FORMAT_VERSION,
  parseConnectionExport,
  parseSealedSecrets,
} from './connection-export.js';
import type { ChangedBy, ConnectionChange, ConnectionService } from './connection-service.js';
import type { ParameterInput } from './normalize-parameters.js';
import type { PassphraseBox } from './ports.js';

export interface ExportOptions {
  /** Seal secret values into the export with `passphrase` (otherwise they are left out). */
  includeSecrets?: boolean;
  passphrase?: string;
  box: PassphraseBox;
  now: Date;
}

/** The export document of a connection; secret values are left out unless sealed with a passphrase. */
export async function exportConnection(
  service: ConnectionService,
  connection: Connection,
  options: ExportOptions,
): Promise<ConnectionExport> {
  if (options.includeSecrets && !options.passphrase) throw new AppError('CONNECTION_PASSPHRASE_REQUIRED');
  const secrets: Record<string, string> = {};
  const parameters = connection.parameters.map((p) => {
    if (!p.secret) return { key: p.key, value: p.value };
    if (options.includeSecrets) secrets[p.key] = service.revealParameter(connection, p);
    return { key: p.key, secret: true, fingerprint: p.fingerprint };
  });
  return {
    format: EXPORT_FORMAT,
    formatVersion: EXPORT_FORMAT_VERSION,
    exportedAt: options.now.toISOString(),
    name: connection.name,
    type: connection.type,
    parameters,
    ...(options.includeSecrets && options.passphrase
      ? { encryptedSecrets: await options.box.seal(JSON.stringify(secrets), options.passphrase) }
      : {}),
  };
}

export interface ImportOptions {
  /** Import under another name (--name). */
  name?: string;
  passphrase?: string;
  /** Values given on the command line (e.g. a secret the export left out); they win over the file's. */
  parameters?: readonly ParameterInput[];
  allowGuidSecret?: boolean;
  box: PassphraseBox;
  /** Who imports (audited by the service); default the library. */
  by?: ChangedBy;
}

/** Creates a connection from an export (or the sample file); validated exactly like `create`. */
export async function importConnection(
  service: ConnectionService,
  json: unknown,
  options: ImportOptions,
): Promise<ConnectionChange> {
  const doc = parseConnectionExport(json);
  let secrets: Record<string, string> = {};
  if (doc.encryptedSecrets !== undefined) {
    if (!options.passphrase) throw new AppError('CONNECTION_PASSPHRASE_REQUIRED');
    secrets = parseSealedSecrets(await options.box.open(doc.encryptedSecrets, options.passphrase));
  }
  const given = new Set((options.parameters ?? []).map((p) => p.key.trim().toLowerCase()));
  const fromFile: ParameterInput[] = [];
  const omitted: string[] = [];
  for (const p of doc.parameters) {
    if (given.has(p.key.trim().toLowerCase())) continue;
    const value = p.value ?? secrets[p.key];
    if (value === undefined) omitted.push(p.key);
    else fromFile.push({ key: p.key, value });
  }
  try {
    return await service.create(
      {
        name: options.name ?? doc.name,
        type: doc.type,
        parameters: [...fromFile, ...(options.parameters ?? [])],
        allowGuidSecret: options.allowGuidSecret,
      },
      options.by,
      'connection.import',
    );
  } catch (error) {
    if (error instanceof AppError && error.code === 'CONNECTION_MISSING_PARAMETER' && omitted.length > 0) {
      throw new AppError('CONNECTION_MISSING_PARAMETER', {
        message: `The export left out the value of ${omitted.join(', ')} (secrets are exported only with --include-secrets).`,
        hint: `Give the value with --param ${omitted[0]}=VALUE, or import an export made with --include-secrets --passphrase-file F.`,
        uiHint: `Give the value of ${omitted.join(', ')} with the import (the console asks for it), or import an export whose secrets are sealed with a passphrase.`,
        details: { omitted },
      });
    }
    throw error;
  }
}
