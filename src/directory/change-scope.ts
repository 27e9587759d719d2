import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Who is writing the local directory right now, for the events those writes produce: a sync run (with its id) or an
 * identity action (with its actor). Services open a scope around their writes; the store's AppliedChangeHook reads it
 * and counts the events it stored into `events`, which the sync report shows.
 */
export interface ChangeScope {
  readonly source: 'sync' | 'action';
  readonly runId?: string;
  readonly actor?: string;
  /** Events stored by writes within this scope (incremented by the hook). */
  events: number;
}

const storage = new AsyncLocalStorage<ChangeScope>();

/** Runs `fn` with `scope` as the current change scope. */
export function withChangeScope<T>(scope: ChangeScope, fn: () => Promise<T>): Promise<T> {
  return storage.run(scope, fn);
}

/** The scope of the write under way, if a service opened one. */
export function currentChangeScope(): ChangeScope | undefined {
  return storage.getStore();
}
