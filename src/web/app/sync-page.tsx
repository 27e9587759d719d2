import type { Me } from './types.js';

/** Sync runs with live progress, history, reports, schedule and policies. */
export function SyncPage(_props: { me: Me }) {
  return (
    <section aria-labelledby="sync-title">
      <h1 id="sync-title">Sync</h1>
      <p className="muted">Loading sync…</p>
    </section>
  );
}
