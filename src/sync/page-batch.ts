import { AppError } from '../core/errors.js';
import type { PagePlan, RoundState, SourcePage, SyncPolicy, SyncStream } from './ports.js';
import type { ReadAhead } from './read-ahead.js';
import { planGroupPage, planUserPage } from './sync-plan.js';

/** One page to write, with the checkpoint after it. */
export interface PageWrite {
  plan: PagePlan;
  round: RoundState;
  objects: number;
}

/** The page's writes and the checkpoint after it; a round's last page must carry its delta link. */
export function planPage(
  stream: SyncStream,
  round: RoundState,
  page: SourcePage<unknown>,
  policy: SyncPolicy,
): PageWrite {
  const plan =
    stream === 'users'
      ? planUserPage(page.changes as Parameters<typeof planUserPage>[0], policy)
      : planGroupPage(page.changes as Parameters<typeof planGroupPage>[0]);
  const next: RoundState = {
    ...round,
    complete: page.nextLink === undefined,
    link: page.nextLink,
    ...(page.deltaLink ? { deltaLink: page.deltaLink } : {}),
  };
  if (next.complete && !next.deltaLink) {
    throw new AppError('GRAPH_INVALID_RESPONSE', { message: `The ${stream} round ended without a delta link.` });
  }
  return { plan, round: next, objects: page.changes.length };
}

/**
 * The pages of one transaction (group commit, issue 13): the first page, then every page that is ready when the
 * one before it has been written, up to `max`. `reader()` is what the store pulls pages from; a repeated attempt
 * (its transaction was rolled back) gets the pages already taken again, in order, then more.
 */
export class PageBatch {
  readonly writes: PageWrite[];
  /** A page that could not be planned: thrown once the pages before it are committed, as with a page per transaction. */
  failure: unknown;

  constructor(
    first: PageWrite,
    private readonly ahead: ReadAhead<SourcePage<unknown>>,
    private readonly plan: (round: RoundState, page: SourcePage<unknown>) => PageWrite,
    private readonly max: number,
  ) {
    this.writes = [first];
  }

  /** The last page taken: its checkpoint is the transaction's. */
  get last(): PageWrite {
    return this.writes[this.writes.length - 1] as PageWrite;
  }

  reader(): () => Promise<PageWrite | undefined> {
    let i = 0;
    return async () => {
      if (i === this.writes.length && !(await this.takeReady())) return undefined;
      return this.writes[i++];
    };
  }

  private async takeReady(): Promise<boolean> {
    if (this.failure !== undefined || this.writes.length >= this.max) return false;
    const page = await this.ahead.ready();
    if (page === undefined) return false;
    try {
      this.writes.push(this.plan(this.last.round, page));
      return true;
    } catch (error) {
      this.failure = error;
      return false;
    }
  }
}
