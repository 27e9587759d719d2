import { useState } from 'react';
import { enc, post } from './api.js';
import { ErrorMessage } from './error-message.js';
import { counts, type SyncError, type SyncReport, statusLabel } from './sync-types.js';
import { TestReportView } from './test-report.js';
import type { TestReport } from './types.js';

/** A run's report: outcome, mode, counts, requests and duration. */
export function ReportView({ report }: { report: SyncReport }) {
  return (
    <dl className="report" aria-label="Sync report">
      <dt>Status</dt>
      <dd
        className={report.status === 'succeeded' ? 'ok' : 'bad'}
        data-testid="sync-status"
        data-status={report.status}
      >
        {statusLabel(report.status, report.dryRun)}
      </dd>
      <dt>Mode</dt>
      <dd>{report.mode}</dd>
      <dt>Users</dt>
      <dd>{counts(report.users)}</dd>
      <dt>Groups</dt>
      <dd>{counts(report.groups)}</dd>
      <dt>Memberships</dt>
      <dd>{counts(report.memberships)}</dd>
      <dt>Graph requests</dt>
      <dd>{report.requests}</dd>
      <dt>Duration</dt>
      <dd>{(report.durationMs / 1000).toFixed(1)} s</dd>
    </dl>
  );
}

/**
 * A failed run said as a failure (issue 16 item 3): what went wrong, what to do, the code as a detail, and a
 * shortcut to the connection test, which names the failing step.
 */
export function RunFailure({ connection, error, canTest }: { connection: string; error: SyncError; canTest: boolean }) {
  const [report, setReport] = useState<TestReport>();
  const [testing, setTesting] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  async function test() {
    setTesting(true);
    setFailure(undefined);
    try {
      setReport(await post<TestReport>(`/connections/${enc(connection)}/test`));
    } catch (caught) {
      setFailure(caught);
    }
    setTesting(false);
  }
  return (
    <div className="run-failure" role="alert" data-testid="run-failure">
      <h3>The sync failed</h3>
      <div>{error.message}</div>
      {error.hint ? <div className="hint">{error.hint}</div> : null}
      <code className="code-detail">Code: {error.code}</code>
      {canTest ? (
        <p>
          <button type="button" onClick={test} disabled={testing}>
            {testing ? 'Testing…' : 'Test connection'}
          </button>
        </p>
      ) : null}
      <ErrorMessage error={failure} />
      {report ? <TestReportView report={report} /> : null}
    </div>
  );
}
