import type { AuditEvent, AuditEventInput } from './audit-event.js';

export interface AuditQuery {
  /** Newest first; default 100, at most 1000. */
  readonly limit?: number;
  /** Only events strictly older than this one (paging: pass the last id of the previous page). */
  readonly beforeId?: string;
  readonly connection?: string;
  readonly action?: string;
  readonly actor?: string;
}

/** The audit log port, implemented by `src/store/audit-log-repository.ts`. */
export interface AuditLog {
  record(event: AuditEventInput): Promise<AuditEvent>;
  list(query?: AuditQuery): Promise<AuditEvent[]>;
}
