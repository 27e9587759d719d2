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

  get position(): number {
    return this.entries.length;
  }

  /** Changes in [from, to). */
  slice(from: number, to: number): readonly Change[] {
    return this.entries.slice(from, to);
  }

  created(ix: number): void {
    this.entries.push({ op: 'created', ix });
  }

  updated(ix: number, props: readonly string[]): void {
    this.entries.push({ op: 'updated', ix, props });
  }

  removed(ix: number, reason: 'changed' | 'deleted'): void {
    this.entries.push({ op: 'removed', ix, reason });
  }

  memberAdded(ix: number, member: number): void {
    this.entries.push({ op: 'memberAdded', ix, member });
  }

  memberRemoved(ix: number, member: number): void {
    this.entries.push({ op: 'memberRemoved', ix, member });
  }
}
