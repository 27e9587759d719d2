/** One `progress` event of the sync event stream (src/sync/sync-engine.ts SyncProgress). */
export interface SyncProgressEvent {
  connection: string;
  stream: 'users' | 'groups' | 'all';
  phase: 'fetching' | 'committing' | 'done';
  pages: number;
  objects: number;
}

export interface ProgressState {
  users: SyncProgressEvent | undefined;
  groups: SyncProgressEvent | undefined;
  finished: boolean;
}

/**
 * Delta queries do not say how many pages will come, so the bar moves by stream: each of the two streams (users,
 * groups-with-members) is half of it, a stream that is still fetching fills its half asymptotically, and the bar
 * reaches the end when the run's report arrives.
 */
export function progressPercent(state: ProgressState): number {
  if (state.finished) return 100;
  const part = (event: SyncProgressEvent | undefined) => {
    if (!event) return 0;
    if (event.phase === 'done') return 50;
    return 45 * (1 - 1 / (1 + event.pages / 3));
  };
  return Math.round(part(state.users) + part(state.groups));
}
