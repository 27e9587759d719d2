import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { buildParameters } from './build-parameters.js';
import type { Connection, ConnectionTestSummary, ConnectionTokenState, StoredParameter } from './connection.js';
import { validateConnectionName } from './connection-name.js';
import type { ConnectionTypeRegistry } from './connection-types.js';
import type { EntraSettings } from './entra-id/entra-settings.js';
import { resolveEntraSettings } from './entra-id/resolve-entra-settings.js';
import type { ParameterInput } from './normalize-parameters.js';
import type { ConnectionRepository, SecretCipher } from './ports.js';

export interface ConnectionServiceOptions {
  repository: ConnectionRepository;
  cipher: SecretCipher;
  types: ConnectionTypeRegistry;
  clock: Clock;
  logger: Logger;
  /** Id generator (default: random UUID). */
  newId?: () => string;
  /** Called before secrets are sealed; throws when this instance's master key is no longer the store's. */
  assertCurrentKey?: () => Promise<void>;
  /** Called after a connection (and its stored data) was removed: drop in-memory state kept for it. */
  onRemoved?: (connectionId: string) => void;
}

export interface CreateConnectionInput {
  name: string;
  type: string;
  parameters: readonly ParameterInput[];
  /** Accept a GUID-shaped ClientSecret (--allow-guid-secret). */
  allowGuidSecret?: boolean;
}

export interface UpdateConnectionInput {
  /** Values to set or replace; keys not named keep their value (a secret stays unless replaced). */
  set?: readonly ParameterInput[];
  /** Keys to remove. */
  unset?: readonly string[];
  rename?: string;
  /** The version the caller read; default: the current one (read-modify-write still detects races). */
  expectedVersion?: number;
  allowGuidSecret?: boolean;
}

/** An unsaved connection to test (the console's dialog before Create or Update). */
export interface DraftConnectionInput {
  /** Shown in the test report; not validated (nothing is saved). */
  name?: string;
  type: string;
  parameters: readonly ParameterInput[];
  allowGuidSecret?: boolean;
  /** The saved connection being edited: its stored secret values named in `keep` fill in what the form left empty. */
  connection?: string;
  /** Secret keys of `connection` whose stored values the draft keeps (a secret field left empty in the form). */
  keep?: readonly string[];
}

/** A saved change and what the administrator should be told about it. */
export interface ConnectionChange {
  connection: Connection;
  /** Keys whose values had surrounding whitespace removed. */
  trimmed: string[];
  warnings: string[];
}

/**
 * Create, read, update, copy and remove connections; the one place their rules are applied.
 *
 * @example
 *   const { connection, trimmed } = await gatehouse.connections.create({
 *     name: 'MS EntraID',
 *     type: 'EntraID',
 *     parameters: [{ key: 'TenantID', value: 'contoso.onmicrosoft.com' }, { key: 'ClientID', value: clientId },
 *       { key: 'ClientSecret', value: secretValue }],
 *   });
 *   const settings = await gatehouse.connections.resolveEntraSettings('ms entraid'); // names match regardless of case
 */
export class ConnectionService {
  private readonly newId: () => string;

  constructor(private readonly options: ConnectionServiceOptions) {
    this.newId = options.newId ?? randomUUID;
  }

  get types(): ConnectionTypeRegistry {
    return this.options.types;
  }

  async create(input: CreateConnectionInput): Promise<ConnectionChange> {
    const name = validateConnectionName(input.name);
    const type = this.options.types.get(input.type);
    await this.options.assertCurrentKey?.();
    const now = this.options.clock.now();
    const built = buildParameters({
      type,
      changes: input.parameters,
      context: { allowGuidSecret: input.allowGuidSecret ?? false, now },
      cipher: this.options.cipher,
    });
    const connection: Connection = {
      id: this.newId(),
      name,
      type: type.name,
      version: 1,
      parameters: built.parameters,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    this.traceParameters(name, built);
    await this.options.repository.insert(connection);
    this.options.logger.info({ connection: name, connectionId: connection.id }, 'connection created');
    return { connection, trimmed: built.trimmed, warnings: built.warnings };
  }

  /**
   * Builds a connection from a draft with the same rules as create and update, and saves nothing: the connection
   * test runs on it before the administrator decides to save (issue 16 item 7). Secrets are sealed in memory only.
   */
  async draft(input: DraftConnectionInput): Promise<ConnectionChange> {
    const base = input.connection === undefined ? undefined : await this.get(input.connection);
    const type = this.options.types.get(base?.type ?? input.type);
    const keep = new Set((input.keep ?? []).map((key) => key.trim().toLowerCase()));
    const now = this.options.clock.now();
    const built = buildParameters({
      type,
      existing: (base?.parameters ?? []).filter((p) => p.secret && keep.has(p.key.toLowerCase())),
      changes: input.parameters,
      context: { allowGuidSecret: input.allowGuidSecret ?? false, now },
      cipher: this.options.cipher,
    });
    const connection: Connection = {
      id: `draft-${this.newId()}`,
      name: input.name?.trim() || base?.name || 'new connection',
      type: type.name,
      version: 0,
      parameters: built.parameters,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    return { connection, trimmed: built.trimmed, warnings: built.warnings };
  }

  /** By name (regardless of case) or id; throws CONNECTION_NOT_FOUND. */
  async get(nameOrId: string): Promise<Connection> {
    const found =
      (await this.options.repository.findByName(nameOrId)) ?? (await this.options.repository.findById(nameOrId.trim()));
    if (!found) {
      throw new AppError('CONNECTION_NOT_FOUND', {
        message: `Connection '${nameOrId}' does not exist.`,
        details: { connection: nameOrId },
      });
    }
    return found;
  }

  list(): Promise<Connection[]> {
    return this.options.repository.list();
  }

  async update(nameOrId: string, input: UpdateConnectionInput): Promise<ConnectionChange> {
    const current = await this.get(nameOrId);
    const expectedVersion = input.expectedVersion ?? current.version;
    if (expectedVersion !== current.version) throw conflict(current, expectedVersion);
    await this.options.assertCurrentKey?.();
    const now = this.options.clock.now();
    const built = buildParameters({
      type: this.options.types.get(current.type),
      existing: current.parameters,
      changes: input.set ?? [],
      unset: input.unset ?? [],
      context: { allowGuidSecret: input.allowGuidSecret ?? false, now },
      cipher: this.options.cipher,
    });
    const next: Connection = {
      ...current,
      name: input.rename === undefined ? current.name : validateConnectionName(input.rename),
      parameters: built.parameters,
      updatedAt: now.toISOString(),
    };
    this.traceParameters(next.name, built);
    const saved = await this.options.repository.update(next, expectedVersion);
    this.options.logger.info(
      { connection: saved.name, connectionId: saved.id, version: saved.version },
      'connection updated',
    );
    return { connection: saved, trimmed: built.trimmed, warnings: built.warnings };
  }

  async remove(nameOrId: string): Promise<Connection> {
    const current = await this.get(nameOrId);
    await this.options.repository.remove(current.id);
    this.options.onRemoved?.(current.id);
    this.options.logger.info({ connection: current.name, connectionId: current.id }, 'connection removed');
    return current;
  }

  /** Duplicates a connection under a new name; secrets are re-encrypted (fresh IVs), results and state are not copied. */
  async copy(nameOrId: string, newName: string): Promise<ConnectionChange> {
    const source = await this.get(nameOrId);
    await this.options.assertCurrentKey?.();
    const now = this.options.clock.now().toISOString();
    const connection: Connection = {
      id: this.newId(),
      name: validateConnectionName(newName),
      type: source.type,
      version: 1,
      parameters: source.parameters.map((p) => (p.secret ? this.reseal(p) : p)),
      createdAt: now,
      updatedAt: now,
    };
    await this.options.repository.insert(connection);
    this.options.logger.info({ connection: connection.name, from: source.name }, 'connection copied');
    return { connection, trimmed: [], warnings: [] };
  }

  async recordTestResult(nameOrId: string, result: ConnectionTestSummary): Promise<void> {
    const current = await this.get(nameOrId);
    await this.options.repository.recordTestResult(current.id, result);
  }

  async recordTokenState(nameOrId: string, state: ConnectionTokenState): Promise<void> {
    const current = await this.get(nameOrId);
    await this.options.repository.recordTokenState(current.id, state);
  }

  /** What the Entra adapter needs for this connection, secrets decrypted into `Secret`s. */
  async resolveEntraSettings(nameOrId: string): Promise<EntraSettings> {
    return resolveEntraSettings(await this.get(nameOrId), this.options.cipher);
  }

  /** The Entra settings of a connection object that need not be saved (a draft under test). */
  async resolveSettingsOf(connection: Connection): Promise<EntraSettings> {
    return resolveEntraSettings(connection, this.options.cipher);
  }

  /** Decrypts one secret parameter's value (export --include-secrets); only the service and the Entra adapter do. */
  revealParameter(parameter: StoredParameter): string {
    return parameter.secret ? this.options.cipher.decrypt(parameter.envelope) : parameter.value;
  }

  /**
   * Key rotation: re-encrypts every secret of every connection with `next` in one transaction that also stores
   * `keyCheck` (sealed with the new key). Returns how many connections were rewritten.
   */
  reencryptAll(next: SecretCipher, keyCheck: string): Promise<number> {
    return this.options.repository.rewriteAllSecrets(
      (connection) =>
        connection.parameters.map((p) =>
          p.secret ? { ...p, envelope: next.encrypt(this.options.cipher.decrypt(p.envelope)) } : p,
        ),
      keyCheck,
      (envelope) => next.encrypt(this.options.cipher.decrypt(envelope)),
    );
  }

  /** Keys and secret fingerprints only: the values never reach a log line. */
  private traceParameters(name: string, built: { parameters: readonly StoredParameter[]; trimmed: string[] }): void {
    const parameters = built.parameters.map((p) =>
      p.secret ? { key: p.key, fingerprint: p.fingerprint } : { key: p.key },
    );
    this.options.logger.trace({ connection: name, parameters, trimmed: built.trimmed }, 'parameters validated');
  }

  private reseal(parameter: StoredParameter & { secret: true }): StoredParameter {
    return { ...parameter, envelope: this.options.cipher.encrypt(this.options.cipher.decrypt(parameter.envelope)) };
  }
}

function conflict(current: Connection, expectedVersion: number): AppError {
  return new AppError('CONNECTION_VERSION_CONFLICT', {
    message: `Connection '${current.name}' was changed since it was read (version ${expectedVersion}, now ${current.version}).`,
    details: { connection: current.name, expectedVersion, currentVersion: current.version },
  });
}
