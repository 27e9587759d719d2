import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { type Clock, systemClock } from '../core/clock.js';
import { AppError, toAppError } from '../core/errors.js';
import { type Logger, silentLogger } from '../core/logger.js';
import { withChangeScope } from '../directory/change-scope.js';
import type { DirectoryStore } from '../directory/ports.js';
import type { DirectorySource, SyncPolicy, SyncReport, SyncRunRecord, SyncStore } from './ports.js';
import { SyncExecution, type SyncProgress, type SyncRunOptions } from './sync-engine.js';
import { formatSchedule, nextRunAt, parseSchedule } from './sync-schedule.js';

export interface SyncServiceOptions {
  store: SyncStore;
  directory: DirectoryStore;
  /** Resolves a connection name to its id (throws CONNECTION_NOT_FOUND). */
  connection(name: string): Promise<{ id: string; name: string }>;
  /** A fresh source (and Graph client, so its counters belong to this run) for the connection (by id). */
  createSource(connectionId: string): Promise<DirectorySource>;
  /** Resolves `--scope-group` (id or exact displayName) in the local directory. */
  resolveGroupId(connectionId: string, group: string): Promise<string>;
  /** Called after a run wrote the directory (drop cached membership indexes). */
  onDirectoryChanged?(connectionId: string): void;
  leaseOwner: string;
  isLeaseOwnerAlive?(owner: string): boolean;
  /** Lease lifetime, renewed every third of it while the run lives (default DEFAULT_LEASE_MS, 45 s). */
  leaseMs?: number;
  clock?: Clock;
  logger?: Logger;
  /** The per-connection switch of the change-notification trigger (src/notifications); absent = always off. */
  notifications?: {
    isEnabled(connectionId: string): Promise<boolean>;
    setEnabled(connectionId: string, enabled: boolean): Promise<void>;
    /** The Graph subscriptions held for the connection (`expiresAt` null while Graph validates). */
    subscriptions?(connectionId: string): Promise<{ resource: string; expiresAt: string | null }[]>;
  };
}

export interface SyncConfigureInput {
  schedule?: string;
  disabledUsers?: string;
  /** `N` objects or `N%`. */
  deleteThreshold?: string;
  /** A group id or displayName; `''` clears the scope. */
  scopeGroup?: string;
  /** `on`: Graph change notifications trigger incremental syncs (needs `serve --public-url`); `off`. */
  notifications?: string;
}

export interface SyncSettingsView {
  connection: string;
  schedule: string | null;
  nextRunAt: string | null;
  disabledUsers: SyncPolicy['disabledUsers'];
  deleteThreshold: { count: number; percent: number };
  scopeGroup: string | null;
  /** Graph change notifications as a trigger (product.md section 9.2). */
  notifications: 'on' | 'off';
}

export interface SyncStatusView extends SyncSettingsView {
  running: boolean;
  lastSyncedAt: string | null;
  lastRun: SyncRunRecord | null;
  /** Removals held back by the deletion guard, waiting for `--allow-deletes`. */
  pendingRemovals: { users: number; groups: number; memberships: number };
  /** Graph change-notification subscriptions held for the connection (empty when off or not yet subscribed). */
  notificationSubscriptions: { resource: string; expiresAt: string | null }[];
}

/**
 * How long a run's lease lasts without a heartbeat: a run renews it every 15 s, so a dead process's run is closed and
 * can be taken over within 45 s (docs/deploy.md).
 */
export const DEFAULT_LEASE_MS = 45_000;

function parseThreshold(text: string, policy: SyncPolicy): SyncPolicy {
  const match = /^(\d+)(%?)$/.exec(text.trim());
  const value = Number(match?.[1]);
  if (!match || !Number.isInteger(value) || (match[2] === '%' && value > 100)) {
    throw new AppError('SYNC_INVALID_POLICY', {
      message: `The delete threshold '${text}' is not a number of objects (N) or a share (N%).`,
    });
  }
  return match[2] === '%' ? { ...policy, deleteThresholdPercent: value } : { ...policy, deleteThresholdCount: value };
}

function parseSwitch(text: string): boolean {
  const value = text.trim().toLowerCase();
  if (value === 'on' || value === 'off') return value === 'on';
  throw new AppError('SYNC_INVALID_POLICY', { message: `Notifications must be on or off, not '${text}'.` });
}

/**
 * Runs and configures directory syncs: one run per connection at a time (a lease row in the store, so it holds across
 * processes and instances), a history row per run, progress events (`progress`, `finished`) for terminals and SSE.
 */
export class SyncService {
  /** Emits `progress` (SyncProgress) while runs fetch and `finished` (SyncReport) when they end. */
  readonly events = new EventEmitter();
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly leaseMs: number;
  /** Outcomes of runs whose history row could not be closed (the store failed), by run id. */
  private readonly unsavedOutcomes = new Map<string, { code: string; message: string; hint?: string }>();

  constructor(private readonly options: SyncServiceOptions) {
    this.clock = options.clock ?? systemClock;
    this.logger = options.logger ?? silentLogger;
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  private untilIso(): string {
    return new Date(this.clock.nowMs() + this.leaseMs).toISOString();
  }

  private async takeLease(connectionId: string, name: string, leaseOwner: string): Promise<void> {
    const { store } = this.options;
    const now = this.clock.now().toISOString();
    // Runs release the lease when they end, so a holder still there when the lease is won belonged to a run that
    // stopped (its lease expired, or its process is dead).
    const previous = await store.leaseHolder(connectionId);
    if (await store.acquireLease(connectionId, leaseOwner, now, this.untilIso())) {
      if (previous) await this.closeAbandonedRun(connectionId, name, previous.owner);
      return;
    }
    const holder = await store.leaseHolder(connectionId);
    if (holder && this.options.isLeaseOwnerAlive && !this.options.isLeaseOwnerAlive(holder.owner)) {
      this.logger.warn({ connection: name, owner: holder.owner }, 'taking over the lease of a dead sync process');
      if (await store.acquireLease(connectionId, leaseOwner, now, this.untilIso(), holder.owner)) {
        await this.closeAbandonedRun(connectionId, name, holder.owner);
        return;
      }
    }
    throw new AppError('SYNC_ALREADY_RUNNING', {
      message: `A sync of connection '${name}' is already running.`,
      details: { connection: name, ...(holder ? { until: holder.expiresAt } : {}) },
    });
  }

  /** Marks the history row of the run that held the lease (owner `…#<run id>`) failed, if it still says running. */
  private async closeAbandonedRun(connectionId: string, name: string, owner: string): Promise<void> {
    const hash = owner.lastIndexOf('#');
    if (hash < 0) return;
    const runId = owner.slice(hash + 1);
    const known = this.unsavedOutcomes.get(runId);
    this.unsavedOutcomes.delete(runId);
    const pages = await this.pagesRecorded(connectionId, runId);
    const closed = await this.options.store.closeAbandonedRun(
      runId,
      this.clock.now().toISOString(),
      known ?? {
        code: 'SYNC_RUN_INTERRUPTED',
        message: `The sync run died without finishing: its process (${owner.slice(0, hash)}) stopped renewing its lease${pages !== undefined ? ` after ${pages} page${pages === 1 ? '' : 's'}` : ''}. The next run resumes from the last saved page.`,
        hint: new AppError('SYNC_RUN_INTERRUPTED').hint,
      },
    );
    if (closed) this.logger.warn({ connection: name, runId, owner }, 'closed the history row of a stopped sync run');
  }

  /** How many pages the heartbeat last recorded for a run (its history row), if it is known. */
  private async pagesRecorded(connectionId: string, runId: string): Promise<number | undefined> {
    const runs = await this.options.store.listRuns(connectionId, 20).catch(() => []);
    return runs.find((r) => r.id === runId)?.report.pages;
  }

  /** One sync run. Resolves with the report (status succeeded, failed or quarantined); throws only when it cannot start. */
  async run(
    name: string,
    runOptions: Omit<SyncRunOptions, 'onProgress'> & { onProgress?: (p: SyncProgress) => void } = {},
  ): Promise<SyncReport> {
    const connection = await this.options.connection(name);
    // By the id just resolved: a second lookup by name could meet another connection (renamed meanwhile).
    const source = await this.options.createSource(connection.id);
    // One owner per run (host/pid/instance#run): two runs in one process exclude each other too.
    const runId = randomUUID();
    const leaseOwner = `${this.options.leaseOwner}#${runId}`;
    await this.takeLease(connection.id, connection.name, leaseOwner);
    // The heartbeat: the lease renewed (a dead process's lease lapses within leaseMs, so another instance takes
    // over soon), and the pages reached so far recorded on the run row, so a run that dies says how far it got.
    const reached: Record<string, number> = {};
    const fullRound = runOptions.full === true;
    const renew = setInterval(() => {
      this.options.store.renewLease(connection.id, leaseOwner, this.untilIso()).catch(() => {});
      const pages = Object.values(reached).reduce((a, b) => a + b, 0);
      if (!runOptions.dryRun && pages > 0) {
        const mode = fullRound ? 'full' : 'incremental';
        this.options.store.recordRunProgress(runId, { pages, mode }).catch(() => {});
      }
    }, this.leaseMs / 3);
    renew.unref();
    const started = this.clock.now();
    const run: SyncRunRecord = {
      id: runId,
      connectionId: connection.id,
      startedAt: started.toISOString(),
      mode: 'incremental',
      status: 'running',
      dryRun: runOptions.dryRun === true,
      report: this.emptyReport(connection.name, runOptions.dryRun === true),
    };
    try {
      if (!run.dryRun) await this.options.store.saveRun(run);
      const onProgress = (p: SyncProgress) => {
        if (p.stream !== 'all') reached[p.stream] = p.pages;
        runOptions.onProgress?.(p);
        this.events.emit('progress', p);
      };
      const execute = (store: SyncStore, directory: DirectoryStore) =>
        new SyncExecution(
          store,
          directory,
          source,
          connection,
          { ...runOptions, onProgress },
          {
            clock: this.clock,
            logger: this.logger,
          },
        ).run();
      const scope = { source: 'sync' as const, runId, events: 0 };
      const partial = run.dryRun
        ? await this.options.store.dryRun(execute)
        : await withChangeScope(scope, () => execute(this.options.store, this.options.directory));
      const counters = source.counters();
      const report: SyncReport = {
        ...partial,
        ...counters,
        events: scope.events,
        durationMs: this.clock.nowMs() - started.getTime(),
      };
      Object.assign(run, {
        report,
        mode: report.mode,
        status: report.status,
        finishedAt: this.clock.now().toISOString(),
      });
      if (report.errors[0]) run.errorCode = report.errors[0].code;
      // An outcome the store cannot take (it is what failed) is still returned to the caller.
      if (!run.dryRun) await this.saveFinishedRun(run).catch(() => {});
      this.events.emit('finished', report);
      return report;
    } catch (error) {
      const failure = toAppError(error);
      run.status = 'failed';
      run.errorCode = failure.code;
      run.finishedAt = this.clock.now().toISOString();
      run.report = {
        ...run.report,
        status: 'failed',
        errors: [{ code: failure.code, message: failure.message, hint: failure.hint }],
      };
      if (!run.dryRun) await this.saveFinishedRun(run).catch(() => {});
      throw failure;
    } finally {
      clearInterval(renew);
      if (!run.dryRun) this.options.onDirectoryChanged?.(connection.id);
      await this.options.store.releaseLease(connection.id, leaseOwner).catch(() => {});
    }
  }

  /**
   * Closes the history row with the run's outcome. The store may be what failed (a full disk, a lost connection):
   * a few tries with backoff; if none lands, the outcome is remembered so whoever closes the row later (the lease
   * sweep, the next run) records this cause instead of a bare SYNC_RUN_INTERRUPTED.
   */
  private async saveFinishedRun(run: SyncRunRecord): Promise<void> {
    let lastError: unknown;
    for (const wait of [0, 200, 1000, 3000]) {
      if (wait) await new Promise((resolve) => setTimeout(resolve, wait));
      try {
        await this.options.store.saveRun(run);
        this.unsavedOutcomes.delete(run.id);
        return;
      } catch (error) {
        lastError = error;
      }
    }
    const first = run.report.errors[0];
    const fallback = toAppError(lastError);
    this.unsavedOutcomes.set(run.id, {
      code: first?.code ?? fallback.code,
      message: first?.message ?? 'The run ended, but its outcome could not be written to the store.',
      hint: first?.hint ?? fallback.hint,
    });
    this.logger.error(
      { connection: run.report.connection, runId: run.id, code: toAppError(lastError).code },
      'could not record the end of a sync run',
    );
    throw lastError;
  }

  private emptyReport(connection: string, dryRun: boolean): SyncReport {
    return {
      connection,
      mode: 'incremental',
      status: 'running',
      dryRun,
      users: { added: 0, updated: 0, removed: 0 },
      groups: { added: 0, updated: 0, removed: 0 },
      memberships: { added: 0, removed: 0 },
      requests: 0,
      retries: 0,
      throttled: 0,
      resourceUnits: 0,
      pages: 0,
      durationMs: 0,
      errors: [],
    };
  }

  async configure(name: string, input: SyncConfigureInput): Promise<SyncSettingsView> {
    const connection = await this.options.connection(name);
    const state = await this.options.store.getState(connection.id);
    let policy = { ...state.policy };
    if (input.disabledUsers !== undefined) {
      if (input.disabledUsers !== 'exclude' && input.disabledUsers !== 'include') {
        throw new AppError('SYNC_INVALID_POLICY', {
          message: `Disabled users must be exclude or include, not '${input.disabledUsers}'.`,
        });
      }
      policy.disabledUsers = input.disabledUsers;
    }
    if (input.deleteThreshold !== undefined) policy = parseThreshold(input.deleteThreshold, policy);
    if (input.scopeGroup !== undefined) {
      const { scopeGroupId: _dropped, ...rest } = policy;
      policy =
        input.scopeGroup.trim() === ''
          ? rest
          : { ...rest, scopeGroupId: await this.options.resolveGroupId(connection.id, input.scopeGroup) };
    }
    let schedule: string | null | undefined;
    if (input.schedule !== undefined) {
      const parsed = parseSchedule(input.schedule);
      schedule = parsed ? formatSchedule(parsed) : null;
    }
    const notifications = input.notifications === undefined ? undefined : parseSwitch(input.notifications);
    await this.options.store.saveSettings(connection.id, { policy, ...(schedule !== undefined ? { schedule } : {}) });
    if (notifications !== undefined) {
      if (!this.options.notifications) {
        throw new AppError('SYNC_INVALID_POLICY', { message: 'Change notifications are not available here.' });
      }
      await this.options.notifications.setEnabled(connection.id, notifications);
    }
    // The server's notification trigger listens, to subscribe or unsubscribe at once.
    this.events.emit('configured', { connectionId: connection.id, connection: connection.name });
    return this.settingsView(connection.name, connection.id);
  }

  private async settingsView(name: string, connectionId: string): Promise<SyncSettingsView> {
    const state = await this.options.store.getState(connectionId);
    const parsed = state.schedule ? parseSchedule(state.schedule) : undefined;
    const from = state.lastSyncedAt ? new Date(state.lastSyncedAt) : this.clock.now();
    return {
      connection: name,
      schedule: state.schedule ?? null,
      nextRunAt: parsed ? nextRunAt(parsed, parsed.kind === 'every' ? from : this.clock.now()).toISOString() : null,
      disabledUsers: state.policy.disabledUsers,
      deleteThreshold: { count: state.policy.deleteThresholdCount, percent: state.policy.deleteThresholdPercent },
      scopeGroup: state.policy.scopeGroupId ?? null,
      notifications: (await this.options.notifications?.isEnabled(connectionId)) ? 'on' : 'off',
    };
  }

  async status(name: string): Promise<SyncStatusView> {
    const connection = await this.options.connection(name);
    const state = await this.options.store.getState(connection.id);
    const holder = await this.options.store.leaseHolder(connection.id);
    // A lease that expired without being released belongs to a run that died: close its history row now (the server
    // asks for every connection's status on each scheduler tick), so `sync status` says it died, not `running`.
    // The lease itself is left as it is (expired, so the next run takes it): a run that only lost its store for a
    // while renews it again and finishes; its final save then replaces the row written here.
    if (holder && holder.expiresAt <= this.clock.now().toISOString()) {
      await this.closeAbandonedRun(connection.id, connection.name, holder.owner);
    }
    const [lastRun] = await this.options.store.listRuns(connection.id, 1);
    return {
      ...(await this.settingsView(connection.name, connection.id)),
      running: holder !== undefined && holder.expiresAt > this.clock.now().toISOString(),
      lastSyncedAt: state.lastSyncedAt ?? null,
      lastRun: lastRun ?? null,
      pendingRemovals: await this.options.store.pendingRemovals(connection.id),
      notificationSubscriptions: (await this.options.notifications?.subscriptions?.(connection.id)) ?? [],
    };
  }

  async history(name: string, limit = 20): Promise<SyncRunRecord[]> {
    const connection = await this.options.connection(name);
    return this.options.store.listRuns(connection.id, limit);
  }

  /** When the connection was last synced (ISO), for membership answers. */
  async lastSyncedAt(connectionId: string): Promise<string | undefined> {
    return (await this.options.store.getState(connectionId)).lastSyncedAt;
  }
}
