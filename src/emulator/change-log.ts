/** What happened to an object at one position of the change log. */
export type Change =
  | { readonly op: 'created'; readonly ix: number }
  | { readonly op: 'updated'; readonly ix: number; readonly props: readonly string[] }
  | { readonly op: 'removed'; readonly ix: number; readonly reason: 'changed' | 'deleted' }
  | { readonly op: 'memberAdded'; readonly ix: number; readonly member: number }
  | { readonly op: 'memberRemoved'; readonly ix: number; readonly member: number };

/**
 * The directory's append-only change log. A delta token is a position in it: the next round replays the changes
 * after that position, collapsed per object. Positions are absolute; `position` is the next one to be written.
 */
export class ChangeLog {
  private readonly entries: Change[] = [];
  /** Replication lag: when each entry becomes visible (ms), only kept while lag is on. */
  private readonly visibleAt: number[] = [];
  /** Entries before this position are visible to every reader. */
  private visibleUpTo = 0;
  /** Returns the visibility time of a new entry, or undefined when writes are visible at once. */
  stamp: (() => number | undefined) | undefined;
  /** Called after each append (change notifications, src/emulator/graph/subscriptions.ts). */
  private readonly listeners: ((change: Change) => void)[] = [];

  /**
   * Calls `listener` with every change appended from now on, at once: Graph may notify before the change has
   * replicated to the replica a following delta query reads (replication lag), as the real service does.
   */
  onAppend(listener: (change: Change) => void): void {
    this.listeners.push(listener);
  }

  get position(): number {
    return this.entries.length;
  }

  /**
   * The end of the prefix of the log that readers see now: an entry still replicating hides it and every later
   * entry, so a delta round never reports a change before one that happened earlier.
   */
  visiblePosition(nowMs: number): number {
    if (this.visibleAt.length === 0) return this.entries.length;
    while (this.visibleUpTo < this.entries.length && (this.visibleAt[this.visibleUpTo] ?? 0) <= nowMs)
      this.visibleUpTo++;
    return this.visibleUpTo;
  }

  /** Makes every entry visible now (`emulator.settle()`). */
  settle(): void {
    this.visibleAt.length = 0;
    this.visibleUpTo = this.entries.length;
  }

  private push(change: Change): void {
    const at = this.stamp?.();
    if (at !== undefined) {
      // Entries written before lag was on are visible: pad the visibility column.
      while (this.visibleAt.length < this.entries.length) this.visibleAt.push(0);
      this.visibleAt.push(at);
    } else if (this.visibleAt.length > 0) this.visibleAt.push(0);
    this.entries.push(change);
    for (const listener of this.listeners) listener(change);
  }

  /** Changes in [from, to). */
  slice(from: number, to: number): readonly Change[] {
    return this.entries.slice(from, to);
  }

  created(ix: number): void {
    this.push({ op: 'created', ix });
  }

  updated(ix: number, props: readonly string[]): void {
    this.push({ op: 'updated', ix, props });
  }

  removed(ix: number, reason: 'changed' | 'deleted'): void {
    this.push({ op: 'removed', ix, reason });
  }

  memberAdded(ix: number, member: number): void {
    this.push({ op: 'memberAdded', ix, member });
  }

  memberRemoved(ix: number, member: number): void {
    this.push({ op: 'memberRemoved', ix, member });
  }
}
