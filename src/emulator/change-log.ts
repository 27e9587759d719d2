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
  /** Called after each append (change notifications, src/emulator/graph/subscriptions.ts). */
  private readonly listeners: ((change: Change) => void)[] = [];

  /** Calls `listener` with every change appended from now on. */
  onAppend(listener: (change: Change) => void): void {
    this.listeners.push(listener);
  }

  private append(change: Change): void {
    this.entries.push(change);
    for (const listener of this.listeners) listener(change);
  }

  get position(): number {
    return this.entries.length;
  }

  /** Changes in [from, to). */
  slice(from: number, to: number): readonly Change[] {
    return this.entries.slice(from, to);
  }

  created(ix: number): void {
    this.append({ op: 'created', ix });
  }

  updated(ix: number, props: readonly string[]): void {
    this.append({ op: 'updated', ix, props });
  }

  removed(ix: number, reason: 'changed' | 'deleted'): void {
    this.append({ op: 'removed', ix, reason });
  }

  memberAdded(ix: number, member: number): void {
    this.append({ op: 'memberAdded', ix, member });
  }

  memberRemoved(ix: number, member: number): void {
    this.append({ op: 'memberRemoved', ix, member });
  }
}
