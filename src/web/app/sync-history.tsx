import { Fragment } from 'react';
import { localTime } from './local-time.js';
import { counts, type RunRecord, statusLabel } from './sync-types.js';
import { TableWrap } from './table-wrap.js';

/** Past runs, newest first; a failed run shows what went wrong and what to do across the row's width. */
export function SyncHistory({ history, onReport }: { history: RunRecord[]; onReport: (run: RunRecord) => void }) {
  if (history.length === 0) {
    return <p className="empty">No sync has run for this connection yet.</p>;
  }
  return (
    <TableWrap label="Sync history">
      <table className="list" aria-label="Sync history">
        <thead>
          <tr>
            <th scope="col">Started</th>
            <th scope="col">Mode</th>
            <th scope="col">Status</th>
            <th scope="col">Users</th>
            <th scope="col">Groups</th>
            <th scope="col">Memberships</th>
            <th scope="col">Duration</th>
            <th scope="col">
              <span className="visually-hidden">Report</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {history.map((run) => {
            const error = run.report.errors?.[0];
            return (
              <Fragment key={run.id}>
                <tr data-run-status={run.status}>
                  <td>{localTime(run.startedAt)}</td>
                  <td>{run.mode}</td>
                  <td>
                    <span className={`status-chip ${run.status}`}>{statusLabel(run.status, run.dryRun)}</span>
                  </td>
                  <td>{counts(run.report.users)}</td>
                  <td>{counts(run.report.groups)}</td>
                  <td>{counts(run.report.memberships)}</td>
                  <td>{(run.report.durationMs / 1000).toFixed(1)} s</td>
                  <td className="actions">
                    <button type="button" onClick={() => onReport(run)}>
                      Report
                    </button>
                  </td>
                </tr>
                {error && run.status !== 'succeeded' ? (
                  <tr className="error-row">
                    <td colSpan={8}>
                      <span className="bad">{error.message}</span>
                      {error.hint ? <span> {error.hint}</span> : null} <code className="badge-muted">{error.code}</code>
                    </td>
                  </tr>
                ) : null}
              </Fragment>
            );
          })}
        </tbody>
      </table>
    </TableWrap>
  );
}
