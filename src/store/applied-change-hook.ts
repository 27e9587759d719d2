import type { Kysely } from 'kysely';
import type { AppliedChanges } from '../directory/applied-changes.js';
import type { Database } from './schema.js';

/** Where a write to the local directory came from. */
export interface ChangeContext {
  readonly source: 'sync' | 'action';
  /** The sync run that applied the change (source `sync`). */
  readonly runId?: string;
  /** Who ran the action (source `action`), as the audit log names them. */
  readonly actor?: string;
}

/**
 * Called by the directory and sync repositories INSIDE the transaction that applies a write, with what the write
 * changed, so that whatever the hook stores (the events outbox) commits or rolls back with the change itself. `tx` is
 * bound to that transaction on both engines. Never called for a dry run, nor for removals a quarantined run holds back.
 */
export type AppliedChangeHook = (
  tx: Kysely<Database>,
  connectionId: string,
  changes: AppliedChanges,
  context: ChangeContext,
) => Promise<void>;
