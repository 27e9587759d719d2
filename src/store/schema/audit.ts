import type { Generated } from 'kysely';

/** `audit_log`: one row per audited event (see src/audit/audit-event.ts). Never holds secrets or passwords. */
export interface AuditLogTable {
  /** Monotonic counter: orders events that share a millisecond and pages the log. */
  seq: Generated<number>;
  id: string;
  /** ISO-8601 UTC. */
  at: string;
  actor: string;
  channel: string;
  address: string | null;
  connection: string | null;
  action: string;
  target: string | null;
  result: string;
  error_code: string | null;
  /** JSON object of non-secret details. */
  details: string;
}
