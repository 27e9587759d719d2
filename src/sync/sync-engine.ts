import { type Clock, systemClock } from '../core/clock.js';
import { isRetryable } from '../core/error-classification.js';
import { AppError, toAppError } from '../core/errors.js';
import { type Logger, silentLogger } from '../core/logger.js';
import { MembershipIndex } from '../directory/membership-index.js';
import type { DirectoryStore } from '../directory/ports.js';
import { isLinkRejected, isResyncRequired, type ResyncReason } from './link-rejection.js';
import { PageBatch, planPage } from './page-batch.js';
import type { DirectorySource, RoundState, SourcePage, SyncReport, SyncState, SyncStore, SyncStream } from './ports.js';
import { ReadAhead } from './read-ahead.js';
import { addOutcome, type Totals } from './run-totals.js';
import { retryStore, STORE_RETRY_MS } from './store-retry.js';
import { checkDeletionGuard } from './sync-plan.js';

export interface SyncProgress {
  connection: string;
  stream: SyncStream | 'all';
  phase: 'fetching' | 'committing' | 'done';
  /** Pages applied so far in this stream. */
  pages: number;
  /** Objects (users or groups) read so far in this stream. */
  objects: number;
}

export interface SyncRunOptions {
  /** Start full rounds even when delta links exist (and drop held-back removals). */
  full?: boolean;
  /** Compute and report the changes, write nothing. */
  dryRun?: boolean;
  /** Release the accidental-deletion guard for this run. */
  allowDeletes?: boolean;
  signal?: AbortSignal;
  onProgress?: (progress: SyncProgress) => void;
}

export interface SyncEngineDeps {
  store: SyncStore;
  directory: DirectoryStore;
  clock?: Clock;
  logger?: Logger;
}

/**
 * Pages a round reads ahead of its writer, and so the most one transaction writes (issue 13): 16 pages are at most
 * ~16,000 users or 8,000 member links in memory. Measured (BENCHMARKS.md "Sync: group commit"): transactions of
 * ~5 pages form on their own; a 1,000,000-user sync took 232 s with 16 and 253 s with 8, peak RSS 324 / 318 MB.
 */
export const READ_AHEAD_PAGES = 16;

/**
 * One sync run of one connection over an already-held lease: users and groups rounds run concurrently, each page is
 * written with its checkpoint, removals are held until both rounds end and pass the deletion guard, then committed
 * with the new delta links. Returns the report; failures are reported, not thrown.
 */
export class SyncExecution {
  private readonly clock: Clock;
  private readonly logger: Logger;
  private readonly totals: Totals = {
    users: { added: 0, updated: 0, removed: 0 },
    groups: { added: 0, updated: 0, removed: 0 },
    memberships: { added: 0, removed: 0 },
    pages: 0,
  };
  private fullRound = false;
  private readonly resyncs: ResyncReason[] = [];
  /** The caller's signal, joined with this run's own: a permanent failure of one stream stops the other at once. */
  private signal: AbortSignal | undefined;

  constructor(
    private readonly store: SyncStore,
    private readonly directory: DirectoryStore,
    private readonly source: DirectorySource,
    private readonly connection: { id: string; name: string },
    private readonly options: SyncRunOptions,
    deps: { clock?: Clock; logger?: Logger; storeRetryMs?: number },
  ) {
    this.clock = deps.clock ?? systemClock;
    this.logger = deps.logger ?? silentLogger;
    this.storeRetryMs = deps.storeRetryMs ?? STORE_RETRY_MS;
  }

  private readonly storeRetryMs: number;

  /** A store write, repeated while the store is away (see retryStore). */
  private withStore<T>(what: string, fn: () => Promise<T>): Promise<T> {
    return retryStore(what, fn, {
      retryMs: this.storeRetryMs,
      logger: this.logger,
      connection: this.connection.name,
      ...(this.signal ? { signal: this.signal } : {}),
    });
  }

  async run(): Promise<Omit<SyncReport, 'durationMs' | 'requests' | 'retries' | 'throttled' | 'resourceUnits'>> {
    const cid = this.connection.id;
    const state = await this.withStore('getState', () => this.store.getState(cid));
    const fingerprint = `${this.source.selectionFingerprint};disabled=${state.policy.disabledUsers}`;
    if (this.options.full) await this.withStore('clearPendingRemovals', () => this.store.clearPendingRemovals(cid));
    // Users and groups only (the deletion guard's base): counting links would read the largest table every run.
    const counts = await this.withStore('countObjects', () => this.directory.countObjects(cid));
    const errors: SyncReport['errors'] = [];
    try {
      // allSettled: a failing stream must not leave the other one writing after the run has ended.
      const stop = new AbortController();
      this.signal = this.options.signal ? AbortSignal.any([this.options.signal, stop.signal]) : stop.signal;
      const outcomes = await Promise.allSettled(
        (['users', 'groups'] as const).map((stream) =>
          this.runStream(stream, state, fingerprint).catch((error: unknown) => {
            // Nothing will change by waiting (a refused secret, a missing permission): end the run now.
            if (!isRetryable(error)) stop.abort(error);
            throw error;
          }),
        ),
      );
      for (const outcome of outcomes) if (outcome.status === 'rejected') throw outcome.reason;
    } catch (error) {
      const failure = toAppError(error);
      // The cause goes to the log (a store or unknown failure needs it to be understood); never to the report.
      const cause = failure.cause instanceof Error ? failure.cause : undefined;
      this.logger.error(
        {
          connection: this.connection.name,
          code: failure.code,
          ...(failure.details.driverCode ? { driverCode: failure.details.driverCode } : {}),
          ...(cause && failure.code === 'INTERNAL' ? { err: cause } : {}),
        },
        `sync failed: ${failure.code}`,
      );
      errors.push({ code: failure.code, message: failure.message, hint: failure.hint });
      return this.report('failed', errors);
    }
    const pending = await this.withStore('pendingRemovals', () => this.store.pendingRemovals(cid));
    const verdict = checkDeletionGuard(pending, counts.users + counts.groups, state.policy);
    if (verdict.quarantined && !this.options.allowDeletes) {
      const error = new AppError('SYNC_DELETE_THRESHOLD_EXCEEDED', {
        message: `The sync would remove ${verdict.removals} users and groups (the limit is ${verdict.limit}); nothing was removed.`,
      });
      errors.push({ code: error.code, message: error.message, hint: error.hint });
      return { ...this.report('quarantined', errors), pendingRemovals: pending };
    }
    this.progress('all', 'committing', 0);
    const latest = await this.withStore('getState', () => this.store.getState(cid));
    const removed = await this.withStore('commit', () =>
      this.store.commit(cid, {
        deltaLinks: { users: latest.rounds.users?.deltaLink, groups: latest.rounds.groups?.deltaLink } as Partial<
          Record<SyncStream, string>
        >,
        fingerprint,
        syncedAt: this.clock.now().toISOString(),
      }),
    );
    this.totals.users.removed += removed.users;
    this.totals.groups.removed += removed.groups;
    this.totals.memberships.removed += removed.memberships;
    if (state.policy.scopeGroupId) this.totals.users.removed += await this.applyScope(state.policy.scopeGroupId);
    this.progress('all', 'done', this.totals.pages);
    return this.report('succeeded', errors);
  }

  private report(status: SyncReport['status'], errors: SyncReport['errors']) {
    return {
      connection: this.connection.name,
      mode: this.fullRound ? ('full' as const) : ('incremental' as const),
      status,
      dryRun: this.options.dryRun === true,
      users: this.totals.users,
      groups: this.totals.groups,
      memberships: this.totals.memberships,
      pages: this.totals.pages,
      errors,
      ...(this.resyncs.length ? { resyncs: [...this.resyncs] } : {}),
    };
  }

  private progress(stream: SyncProgress['stream'], phase: SyncProgress['phase'], pages: number, objects = 0): void {
    this.options.onProgress?.({ connection: this.connection.name, stream, phase, pages, objects });
  }

  /** Picks the round: resume a crashed one, continue from the delta link, or start a full one. */
  private async openRound(stream: SyncStream, state: SyncState, fingerprint: string): Promise<RoundState> {
    const cid = this.connection.id;
    const existing = state.rounds[stream];
    if (existing && !this.options.full) return existing;
    const deltaLink = state.deltaLinks[stream];
    // With a scope group, users who join the group later may not change themselves, so no delta would bring them:
    // the users round is a full listing every run (about 1 request per 999 users).
    const scoped = stream === 'users' && state.policy.scopeGroupId !== undefined;
    if (deltaLink && !this.options.full && !scoped && state.linkFingerprint === fingerprint) {
      const round: RoundState = {
        mode: 'incremental',
        roundId: await this.withStore('nextRoundId', () => this.store.nextRoundId(cid)),
        link: deltaLink,
        complete: false,
      };
      await this.withStore('saveRound', () => this.store.saveRound(cid, stream, round));
      return round;
    }
    return this.openFullRound(stream);
  }

  private async openFullRound(stream: SyncStream): Promise<RoundState> {
    const cid = this.connection.id;
    const start = await this.source.startFullRound(stream, this.signal);
    const round: RoundState = {
      mode: 'full',
      roundId: await this.withStore('nextRoundId', () => this.store.nextRoundId(cid)),
      link: start.link,
      complete: false,
      ...(start.deltaLink ? { deltaLink: start.deltaLink } : {}),
    };
    await this.withStore('saveRound', () => this.store.saveRound(cid, stream, round));
    return round;
  }

  private async runStream(stream: SyncStream, state: SyncState, fingerprint: string): Promise<void> {
    const saved = state.rounds[stream] !== undefined && !this.options.full;
    let round = await this.openRound(stream, state, fingerprint);
    // A resumed round or a delta link came from the store: Graph may no longer accept it. A round opened now did not.
    const fromStore = saved || round.mode === 'incremental';
    if (round.mode === 'full') this.fullRound = true;
    try {
      round = await this.fetchRound(stream, round, state);
    } catch (error) {
      // Graph refused the saved delta or skip link (410 Gone, syncStateNotFound, an unknown or expired token): ONE
      // new full round, which then reconciles. This also covers a full round whose checkpoint expired while the run
      // was down (else every later run would fail the same way, forever).
      if (!isResyncRequired(error) && !(fromStore && isLinkRejected(error))) throw error;
      const reason = toAppError(error);
      const status = typeof reason.details.status === 'number' ? reason.details.status : undefined;
      const graphCode = typeof reason.details.graphCode === 'string' ? reason.details.graphCode : undefined;
      this.resyncs.push({
        stream,
        code: reason.code,
        ...(status !== undefined ? { status } : {}),
        ...(graphCode ? { graphCode } : {}),
      });
      this.logger.warn(
        { connection: this.connection.name, stream, code: reason.code, status, graphCode },
        'Graph refused the saved sync link; starting a full round',
      );
      this.fullRound = true;
      try {
        round = await this.fetchRound(stream, await this.openFullRound(stream), state);
      } catch (second) {
        if (!isLinkRejected(second)) throw second;
        const failure = toAppError(second);
        throw new AppError('SYNC_RESYNC_FAILED', {
          message: `Graph refused the saved ${stream} link (${graphCode ?? reason.code}), and the full round started in its place failed too (${String(failure.details.graphCode ?? failure.code)}).`,
          details: {
            stream,
            first: { code: reason.code, status, graphCode },
            second: { code: failure.code, status: failure.details.status, graphCode: failure.details.graphCode },
          },
          cause: second,
        });
      }
    }
    if (round.mode === 'full') {
      this.fullRound = true;
      const roundId = round.roundId;
      await this.withStore('reconcile', () => this.store.reconcile(this.connection.id, stream, roundId));
    }
  }

  private async fetchRound(stream: SyncStream, start: RoundState, state: SyncState): Promise<RoundState> {
    let round = start;
    let objects = 0;
    let pageCount = 0;
    if (round.complete || !round.link) return round;
    const iterable: AsyncIterable<SourcePage<unknown>> =
      stream === 'users'
        ? this.source.userPages(round.link, this.signal)
        : this.source.groupPages(round.link, this.signal);
    // Read ahead: pages are fetched while earlier ones are written, so a sync costs about max(fetch, write) rather
    // than their sum; pages that are already here when one is written join its transaction (group commit, at most
    // READ_AHEAD_PAGES), which saves a commit per page. The checkpoint only moves when its pages are committed.
    const ahead = new ReadAhead(iterable[Symbol.asyncIterator](), READ_AHEAD_PAGES, (page) => !page.nextLink);
    try {
      for (let first = await ahead.next(); first !== undefined; first = await ahead.next()) {
        const plan = (after: RoundState, page: SourcePage<unknown>) => planPage(stream, after, page, state.policy);
        const batch = new PageBatch(plan(round, first), ahead, plan, READ_AHEAD_PAGES);
        const outcomes = await this.withStore('applyPages', () =>
          this.store.applyPages(this.connection.id, stream, round.roundId, batch.reader()),
        );
        for (const outcome of outcomes) addOutcome(this.totals, outcome);
        round = batch.last.round;
        // Progress page by page, as before group commit: callers watch for a given page (the heartbeat, tests).
        for (const write of batch.writes) {
          pageCount++;
          objects += write.objects;
          this.progress(stream, 'fetching', pageCount, objects);
        }
        if (batch.failure !== undefined) throw batch.failure;
      }
    } finally {
      await ahead.close();
    }
    return round;
  }

  /** Keeps only the users that are members (at any depth) of the scope group. */
  private async applyScope(scopeGroupId: string): Promise<number> {
    const cid = this.connection.id;
    const index = await MembershipIndex.scan((onLink) => this.directory.scanMembershipGraph(cid, onLink));
    const keep = new Set(
      index
        .transitiveMembers(scopeGroupId)
        .filter((l) => l.memberType === 'user')
        .map((l) => l.memberId),
    );
    return this.store.excludeUsersExcept(this.connection.id, keep);
  }
}
