import { setImmediate as nextTurn } from 'node:timers/promises';

/**
 * Event-loop turns `ready` gives a page in flight: its request goes out, and its answer is read and parsed, over a
 * few turns. Measured (`npm run bench -- sync`, 100,000 users): 1 turn formed almost no batch, 3 turns batches of ~5
 * pages, 10 and 50 turns barely more. A turn with nothing to do costs microseconds.
 */
const READY_TURNS = 3;

/**
 * Reads a round's pages ahead of the writer (issue 13), at most `maxAhead` of them, in order. A failed fetch is
 * thrown by `next` after the pages read before it were taken, so their checkpoint is not lost.
 *
 * `ready` is what makes group commit work: the SQLite driver answers synchronously, so while a page is written no
 * response is read; after a page, `ready` lets the event loop turn a few times and takes the next page if it has arrived
 * meanwhile (it was requested before the write began). A writer that is slower than Graph then keeps finding a page
 * ready and writes a run of pages in one transaction; a writer that is faster (an incremental sync, a slow network)
 * finds none and commits each page alone, without waiting.
 */
export class ReadAhead<T> {
  private readonly queue: T[] = [];
  private failure: { error: unknown } | undefined;
  private finished = false;
  private stopped = false;
  private arrived: (() => void) | undefined;
  private room: (() => void) | undefined;
  private readonly reader: Promise<void>;

  constructor(
    private readonly pages: AsyncIterator<T>,
    private readonly maxAhead: number,
    isLast: (page: T) => boolean,
  ) {
    this.reader = this.read(isLast);
  }

  /** The next page, waiting for it; undefined at the end of the round. */
  async next(): Promise<T | undefined> {
    for (;;) {
      const page = this.take();
      if (page !== undefined) return page;
      if (this.finished) {
        if (this.failure) throw this.failure.error;
        return undefined;
      }
      await new Promise<void>((resolve) => {
        this.arrived = resolve;
      });
    }
  }

  /** The next page if it is here after a few turns of the event loop; never waits for a fetch. */
  async ready(): Promise<T | undefined> {
    for (let turn = 0; turn < READY_TURNS && this.queue.length === 0 && !this.finished; turn++) await nextTurn();
    return this.take();
  }

  /** Stops reading, lets a fetch in flight end, and closes the source. */
  async close(): Promise<void> {
    this.stopped = true;
    this.wake('room');
    await this.reader;
    await this.pages.return?.();
  }

  private take(): T | undefined {
    const page = this.queue.shift();
    if (page !== undefined) this.wake('room');
    return page;
  }

  private wake(which: 'arrived' | 'room'): void {
    const resolve = this[which];
    this[which] = undefined;
    resolve?.();
  }

  private async read(isLast: (page: T) => boolean): Promise<void> {
    try {
      while (!this.stopped) {
        if (this.queue.length >= this.maxAhead) {
          await new Promise<void>((resolve) => {
            this.room = resolve;
          });
          continue;
        }
        const result = await this.pages.next();
        if (result.done) break;
        this.queue.push(result.value);
        this.wake('arrived');
        if (isLast(result.value)) break;
      }
    } catch (error) {
      this.failure = { error };
    } finally {
      this.finished = true;
      this.wake('arrived');
    }
  }
}
