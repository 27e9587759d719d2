import { randomUUID } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { buildParameters } from './build-parameters.js';
import {
  type Connection,
  type ConnectionTestSummary,
  type ConnectionTokenState,
  nameKey,
  type StoredParameter,
} from './connection.js';
import { nameProblem, validateConnectionName } from './connection-name.js';
import type { ConnectionTypeRegistry } from './connection-types.js';
import type { EntraSettings } from './entra-id/entra-settings.js';
import { resolveEntraSettings } from './entra-id/resolve-entra-settings.js';
import type { ParameterInput } from './normalize-parameters.js';
import type { ConnectionRepository, SecretCipher } from './ports.js';
import { openConnectionSecret, secretBinding } from './secret-binding.js';

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
  /**
   * GATEHOUSE_ALLOWED_ENDPOINT_HOSTS: hosts AuthorityHost and GraphEndpoint may name beyond Microsoft's clouds and
   * loopback (default none).
   */
  allowedEndpointHosts?: readonly string[];
  /** Called after a connection (and its stored data) was removed: drop in-memory state kept for it. */
  onRemoved?: (connectionId: string) => void;
  /**
   * Where every connection change is audited — from the CLI, REST, the console or the library alike (issue 17): the
   * change methods record it here, so no surface can forget to. A failing audit write is logged, not thrown.
   */
  audit?: (event: ConnectionAuditEvent) => Promise<unknown>;
}

/** Who changes a connection, and from where (the audit log's actor and origin). Default: the library. */
export interface ChangedBy {
  actor: string;
  origin: { channel: 'cli' | 'api' | 'ui' | 'library' | 'scheduler'; address?: string };
}

/** A connection change as the audit log records it (keys only: values and secrets never enter it). */
export interface ConnectionAuditEvent extends ChangedBy {
  action: string;
  connection: string;
  target?: string;
  result: 'succeeded';
  details?: Record<string, unknown>;
}

const LIBRARY: ChangedBy = { actor: 'library', origin: { channel: 'library' } };

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

/** A stored name the current rules would refuse (`problem` is the error code they would answer with). */
export interface NameFinding {
  readonly id: string;
  readonly name: string;
  /** An error code (CONNECTION_NAME_LOOKS_LIKE_ID, CONNECTION_NAME_UNSAFE_CHARACTER, …) or NOT_CANONICAL. */
  readonly problem: string;
  /** Ids of the connections whose names read the same (problem CONNECTION_NAME_TAKEN). */
  readonly sameAs?: readonly string[];
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

  async create(
    input: CreateConnectionInput,
    by: ChangedBy = LIBRARY,
    action: 'connection.create' | 'connection.import' = 'connection.create',
  ): Promise<ConnectionChange> {
    const name = validateConnectionName(input.name);
    const type = this.options.types.get(input.type);
    await this.options.assertCurrentKey?.();
    const now = this.options.clock.now();
    const id = this.newId();
    const built = buildParameters({
      type,
      changes: input.parameters,
      context: { allowGuidSecret: input.allowGuidSecret ?? false, now },
      cipher: this.options.cipher,
      connectionId: id,
      allowedEndpointHosts: this.allowedEndpointHosts,
    });
    const connection: Connection = {
      id,
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
    await this.audited(by, { action, connection: name });
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
    // A draft of a saved connection keeps its id: the stored secrets it keeps open only when the draft names the
    // same endpoints they were entered for (otherwise its test fails with CONNECTION_SECRET_REQUIRED, nothing sent).
    const id = base?.id ?? `draft-${this.newId()}`;
    const built = buildParameters({
      type,
      existing: (base?.parameters ?? []).filter((p) => p.secret && keep.has(p.key.toLowerCase())),
      changes: input.parameters,
      context: { allowGuidSecret: input.allowGuidSecret ?? false, now },
      cipher: this.options.cipher,
      connectionId: id,
      allowedEndpointHosts: this.allowedEndpointHosts,
    });
    const connection: Connection = {
      id,
      name: input.name?.trim() || base?.name || 'new connection',
      type: type.name,
      version: 0,
      parameters: built.parameters,
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
    };
    return { connection, trimmed: built.trimmed, warnings: built.warnings };
  }

  /**
   * By id, else by name (regardless of case and Unicode compatibility forms); throws CONNECTION_NOT_FOUND. Ids are
   * looked up first, and names may not be UUID-shaped, so no connection can answer for another's id (issue 12).
   */
  async get(nameOrId: string): Promise<Connection> {
    const found =
      (await this.options.repository.findById(nameOrId.trim())) ?? (await this.options.repository.findByName(nameOrId));
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

  /**
   * Stored names today's rules refuse or would spell differently (saved before issue 12, or written to the database
   * directly), and names that read the same as another's after NFKC and case folding. Reported, never renamed:
   * `gatehouse connections check-names` lists them for an administrator to rename.
   */
  async checkNames(): Promise<NameFinding[]> {
    const connections = await this.options.repository.list();
    const findings: NameFinding[] = [];
    const byKey = new Map<string, Connection[]>();
    for (const connection of connections) {
      const problem = nameProblem(connection.name);
      if (problem) findings.push({ id: connection.id, name: connection.name, problem });
      const key = nameKey(connection.name);
      byKey.set(key, [...(byKey.get(key) ?? []), connection]);
    }
    for (const same of byKey.values()) {
      if (same.length < 2) continue;
      for (const connection of same) {
        findings.push({
          id: connection.id,
          name: connection.name,
          problem: 'CONNECTION_NAME_TAKEN',
          sameAs: same.filter((c) => c !== connection).map((c) => c.id),
        });
      }
    }
    return findings;
  }

  async update(nameOrId: string, input: UpdateConnectionInput, by: ChangedBy = LIBRARY): Promise<ConnectionChange> {
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
      connectionId: current.id,
      allowedEndpointHosts: this.allowedEndpointHosts,
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
    await this.audited(by, {
      action: 'connection.update',
      connection: saved.name,
      details: {
        set: (input.set ?? []).map((p) => p.key),
        unset: input.unset ?? [],
        ...(input.rename !== undefined && saved.name !== current.name ? { renamedFrom: current.name } : {}),
      },
    });
    return { connection: saved, trimmed: built.trimmed, warnings: built.warnings };
  }

  async remove(nameOrId: string, by: ChangedBy = LIBRARY): Promise<Connection> {
    const current = await this.get(nameOrId);
    await this.options.repository.remove(current.id);
    this.options.onRemoved?.(current.id);
    this.options.logger.info({ connection: current.name, connectionId: current.id }, 'connection removed');
    await this.audited(by, { action: 'connection.remove', connection: current.name });
    return current;
  }

  /** Duplicates a connection under a new name; secrets are re-encrypted (fresh IVs), results and state are not copied. */
  async copy(nameOrId: string, newName: string, by: ChangedBy = LIBRARY): Promise<ConnectionChange> {
    const source = await this.get(nameOrId);
    await this.options.assertCurrentKey?.();
    const now = this.options.clock.now().toISOString();
    const id = this.newId();
    const connection: Connection = {
      id,
      name: validateConnectionName(newName),
      type: source.type,
      version: 1,
      parameters: source.parameters.map((p) => (p.secret ? this.resealForCopy(source, id, p) : p)),
      createdAt: now,
      updatedAt: now,
    };
    await this.options.repository.insert(connection);
    this.options.logger.info({ connection: connection.name, from: source.name }, 'connection copied');
    await this.audited(by, { action: 'connection.copy', connection: connection.name, target: source.name });
    return { connection, trimmed: [], warnings: [] };
  }

  private async audited(
    by: ChangedBy,
    event: Omit<ConnectionAuditEvent, 'actor' | 'origin' | 'result'>,
  ): Promise<void> {
    if (!this.options.audit) return;
    try {
      await this.options.audit({ ...by, ...event, result: 'succeeded' });
    } catch (error) {
      // The change was made; a failing audit write must not report it as failed.
      this.options.logger.error(
        { action: event.action, connection: event.connection, code: (error as { code?: unknown }).code },
        'audit log write failed',
      );
    }
  }

  async recordTestResult(nameOrId: string, result: ConnectionTestSummary): Promise<void> {
    const current = await this.get(nameOrId);
    await this.options.repository.recordTestResult(current.id, result);
  }

  async recordTokenState(nameOrId: string, state: ConnectionTokenState): Promise<void> {
    const current = await this.get(nameOrId);
    await this.options.repository.recordTokenState(current.id, state);
  }

  /** Hosts allowed beyond Microsoft's clouds and loopback (GATEHOUSE_ALLOWED_ENDPOINT_HOSTS). */
  get allowedEndpointHosts(): readonly string[] {
    return this.options.allowedEndpointHosts ?? [];
  }

  /**
   * What the Entra adapter needs for this connection, secrets decrypted into `Secret`s. Throws
   * CONNECTION_ENDPOINT_NOT_ALLOWED or CONNECTION_SECRET_REQUIRED before anything is sent when the stored endpoints
   * are not allowed or are not the ones the secret was entered for.
   */
  async resolveEntraSettings(nameOrId: string): Promise<EntraSettings> {
    return resolveEntraSettings(await this.get(nameOrId), this.options.cipher, this.allowedEndpointHosts);
  }

  /** The Entra settings of a connection object that need not be saved (a draft under test). */
  async resolveSettingsOf(connection: Connection): Promise<EntraSettings> {
    return resolveEntraSettings(connection, this.options.cipher, this.allowedEndpointHosts);
  }

  /**
   * Decrypts one secret parameter of `connection` (export --include-secrets, the doctor's re-validation); only the
   * service and the Entra adapter do. CONNECTION_SECRET_REQUIRED when it was entered for other endpoints.
   */
  revealParameter(connection: Pick<Connection, 'id' | 'name' | 'parameters'>, parameter: StoredParameter): string {
    return parameter.secret
      ? openConnectionSecret(connection, parameter.key, parameter.envelope, this.options.cipher)
      : parameter.value;
  }

  /**
   * Re-seals every legacy (gh1) envelope for its connection, parameter and current endpoints, in one transaction
   * (gatehouse does this when it opens; from then on gh1 envelopes are refused). Returns how many connections held
   * one; a store without any is not written to.
   */
  async upgradeLegacyEnvelopes(keyCheck: string): Promise<number> {
    const { cipher, repository } = this.options;
    const hasLegacy = (c: Connection) => c.parameters.some((p) => p.secret && cipher.isLegacy(p.envelope));
    const pending = (await repository.list()).filter(hasLegacy).length;
    if (pending === 0) return 0;
    await repository.rewriteAllSecrets(
      (connection) =>
        connection.parameters.map((p) => {
          if (!p.secret || !cipher.isLegacy(p.envelope)) return p;
          const binding = secretBinding(connection.id, p.key, connection.parameters);
          return {
            ...p,
            envelope: cipher.encrypt(cipher.decrypt(p.envelope, binding, { allowLegacy: true }), binding),
          };
        }),
      keyCheck,
    );
    this.options.logger.info({ connections: pending }, 'secret envelopes bound to their connection and hosts (gh2)');
    return pending;
  }

  /**
   * Key rotation: re-encrypts every secret of every connection with `next` in one transaction that also stores
   * `keyCheck` (sealed with the new key). Returns how many connections were rewritten.
   */
  reencryptAll(next: SecretCipher, keyCheck: string): Promise<number> {
    return this.options.repository.rewriteAllSecrets(
      (connection) =>
        connection.parameters.map((p) =>
          p.secret ? { ...p, envelope: this.options.cipher.resealWith(next, p.envelope, UNBOUND) } : p,
        ),
      keyCheck,
      // Webhook secrets keep the binding they were sealed with (src/events/webhook-service.ts).
      (envelope) => this.options.cipher.resealWith(next, envelope, UNBOUND),
    );
  }

  /** Keys and secret fingerprints only: the values never reach a log line. */
  private traceParameters(name: string, built: { parameters: readonly StoredParameter[]; trimmed: string[] }): void {
    const parameters = built.parameters.map((p) =>
      p.secret ? { key: p.key, fingerprint: p.fingerprint } : { key: p.key },
    );
    this.options.logger.trace({ connection: name, parameters, trimmed: built.trimmed }, 'parameters validated');
  }

  /**
   * A copy's secret, sealed for the copy's id and the (same) endpoints. A secret that no longer opens for the source
   * (entered for other endpoints) is left as it is: it opens for the copy neither.
   */
  private resealForCopy(
    source: Connection,
    copyId: string,
    parameter: StoredParameter & { secret: true },
  ): StoredParameter {
    const { cipher } = this.options;
    let plaintext: string;
    try {
      plaintext = cipher.decrypt(parameter.envelope, secretBinding(source.id, parameter.key, source.parameters));
    } catch (error) {
      if (error instanceof AppError && error.code === 'CONNECTION_SECRET_REQUIRED') return parameter;
      throw error;
    }
    return {
      ...parameter,
      envelope: cipher.encrypt(plaintext, secretBinding(copyId, parameter.key, source.parameters)),
    };
  }
}

/** What a legacy envelope met by a key rotation is sealed for: nothing it will ever be opened for. */
const UNBOUND = JSON.stringify(['gatehouse-unbound-legacy-secret']);

function conflict(current: Connection, expectedVersion: number): AppError {
  return new AppError('CONNECTION_VERSION_CONFLICT', {
    message: `Connection '${current.name}' was changed since it was read (version ${expectedVersion}, now ${current.version}).`,
    details: { connection: current.name, expectedVersion, currentVersion: current.version },
  });
}
