/** Shapes of the sync routes (GET /sync/{name}/status, /history, POST /run). */
export interface Counts {
  added: number;
  updated?: number;
  removed: number;
}

export interface SyncError {
  code: string;
  message: string;
  hint?: string;
}

export interface SyncReport {
  connection: string;
  mode: string;
  status: string;
  dryRun?: boolean;
  users: Counts;
  groups: Counts;
  memberships: Counts;
  requests: number;
  durationMs: number;
  pendingRemovals?: { users: number; groups: number; memberships: number };
  errors?: SyncError[];
}

export interface RunRecord {
  id: string;
  startedAt: string;
  mode: string;
  status: string;
  dryRun: boolean;
  errorCode?: string;
  report: SyncReport;
}

export interface SyncStatus {
  schedule: string | null;
  nextRunAt: string | null;
  disabledUsers: string;
  deleteThreshold: { count: number; percent: number };
  scopeGroup: string | null;
  /** Graph change notifications as a sync trigger (absent on older servers). */
  notifications?: 'on' | 'off';
  running: boolean;
  lastSyncedAt: string | null;
  pendingRemovals: { users: number; groups: number; memberships: number };
}

export const counts = (c: Counts) => `+${c.added} ~${c.updated ?? 0} −${c.removed}`;

/** A run's outcome in words, for people (the API keeps its status values). */
export function statusLabel(status: string, dryRun?: boolean): string {
  const words: Record<string, string> = {
    succeeded: 'Succeeded',
    failed: 'Failed',
    quarantined: 'Held back (quarantined)',
    running: 'Running',
  };
  return `${words[status] ?? status}${dryRun ? ' (dry run)' : ''}`;
}
