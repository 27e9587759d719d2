import { useCallback, useEffect, useState } from 'react';
import { enc, get, post } from './api.js';
import { ConnectionPicker, useSelectedConnection } from './connection-picker.js';
import { ErrorMessage } from './error-message.js';
import { localTime } from './local-time.js';
import { roleAllows } from './roles.js';
import { SyncHistory } from './sync-history.js';
import { type ProgressState, progressPercent, type SyncProgressEvent } from './sync-progress.js';
import { ReportView, RunFailure } from './sync-report.js';
import { SettingsForm } from './sync-settings-form.js';
import type { RunRecord, SyncReport, SyncStatus } from './sync-types.js';
import type { Me } from './types.js';

function progressLabel(progress: ProgressState, report: SyncReport | undefined): string {
  if (!progress.finished) {
    return `Users: ${progress.users?.objects ?? 0} read · Groups: ${progress.groups?.objects ?? 0} read`;
  }
  if (report?.status === 'failed') return 'Failed';
  if (report?.status === 'quarantined') return 'Held back: removals wait for release';
  return 'Finished';
}

/** Sync: run now with a live progress bar, the schedule and policies, quarantined runs, history and reports. */
export function SyncPage({ me }: { me: Me }) {
  const [name, connections] = useSelectedConnection();
  const [status, setStatus] = useState<SyncStatus>();
  const [history, setHistory] = useState<RunRecord[]>();
  const [report, setReport] = useState<SyncReport>();
  const [progress, setProgress] = useState<ProgressState>();
  const [options, setOptions] = useState({ full: false, dryRun: false });
  const [error, setError] = useState<unknown>();
  const canRun = roleAllows(me.role, 'operator');

  const reload = useCallback(async () => {
    if (!name) return;
    try {
      setStatus(await get<SyncStatus>(`/sync/${enc(name)}/status`));
      setHistory(await get<RunRecord[]>(`/sync/${enc(name)}/history?limit=20`));
    } catch (caught) {
      setError(caught);
    }
  }, [name]);
  useEffect(() => {
    setReport(undefined);
    setProgress(undefined);
    void reload();
  }, [reload]);

  async function run(body: { full?: boolean; dryRun?: boolean; allowDeletes?: boolean }) {
    if (!name) return;
    setError(undefined);
    setReport(undefined);
    const state: ProgressState = { users: undefined, groups: undefined, finished: false };
    setProgress({ ...state });
    const events = new EventSource(`/api/v1/sync/${enc(name)}/events`);
    events.addEventListener('progress', (message) => {
      const event = JSON.parse((message as MessageEvent<string>).data) as SyncProgressEvent;
      if (event.stream === 'users' || event.stream === 'groups') state[event.stream] = event;
      setProgress({ ...state });
    });
    await new Promise<void>((resolve) => {
      events.onopen = () => resolve();
      setTimeout(resolve, 1500);
    });
    try {
      const result = await post<SyncReport>(`/sync/${enc(name)}/run`, body);
      state.finished = true;
      setProgress({ ...state });
      setReport(result);
    } catch (caught) {
      setError(caught);
      setProgress(undefined);
    } finally {
      events.close();
      await reload();
    }
  }

  const quarantined =
    status && status.pendingRemovals.users + status.pendingRemovals.groups + status.pendingRemovals.memberships > 0;
  const failed = report?.status === 'failed';
  // A failed run does not fill the bar: it stops where the run stopped, in red.
  const percent = progress
    ? failed
      ? Math.min(progressPercent({ ...progress, finished: false }), 95)
      : progressPercent(progress)
    : 0;
  const failure = report && report.status === 'failed' ? report.errors?.[0] : undefined;
  return (
    <section aria-labelledby="sync-title">
      <div className="page-head">
        <h1 id="sync-title">Sync</h1>
        <ConnectionPicker selected={name} connections={connections} />
      </div>
      <ErrorMessage error={error} />
      {name && status ? (
        <div className="columns">
          <div className="panel">
            <h2>Run</h2>
            <p>
              Last synced: {localTime(status.lastSyncedAt)} · Schedule: {status.schedule ?? 'off'}
              {status.nextRunAt ? ` · next ${localTime(status.nextRunAt)}` : ''}
            </p>
            {canRun ? (
              <div className="toolbar">
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={options.full}
                    onChange={(e) => setOptions({ ...options, full: e.target.checked })}
                  />
                  Full sync
                </label>
                <label className="checkbox">
                  <input
                    type="checkbox"
                    checked={options.dryRun}
                    onChange={(e) => setOptions({ ...options, dryRun: e.target.checked })}
                  />
                  Dry run
                </label>
                <button
                  type="button"
                  className="primary"
                  onClick={() => run(options)}
                  disabled={!!progress && !progress.finished}
                >
                  Run now
                </button>
              </div>
            ) : (
              <p className="muted">Operators and admins can run a sync.</p>
            )}
            {progress ? (
              <div className="progress">
                <label htmlFor="sync-progress" className={failed ? 'bad' : undefined}>
                  {progressLabel(progress, report)}
                </label>
                <progress
                  id="sync-progress"
                  className={failed ? 'failed' : undefined}
                  max={100}
                  value={percent}
                  aria-valuetext={failed ? 'failed' : `${percent}%`}
                >
                  {percent}%
                </progress>
              </div>
            ) : null}
            {failure && name ? <RunFailure connection={name} error={failure} canTest={canRun} /> : null}
            {report ? <ReportView report={report} /> : null}
          </div>
          <div className="panel">
            <h2>Quarantine</h2>
            {quarantined ? (
              <>
                <p className="bad">
                  Held back by the deletion guard: {status.pendingRemovals.users} users, {status.pendingRemovals.groups}{' '}
                  groups, {status.pendingRemovals.memberships} memberships. Nothing was removed.
                </p>
                {canRun ? (
                  <button type="button" className="danger" onClick={() => run({ allowDeletes: true })}>
                    Release: apply the removals
                  </button>
                ) : null}
              </>
            ) : (
              <p className="muted">No quarantined run.</p>
            )}
            {me.role === 'admin' ? (
              <>
                <h2>Schedule and policies</h2>
                <SettingsForm key={name} name={name} status={status} onSaved={() => void reload()} />
              </>
            ) : null}
          </div>
        </div>
      ) : null}
      {name ? (
        <>
          <h2>History</h2>
          {history ? (
            <SyncHistory history={history} onReport={(r) => setReport(r.report)} />
          ) : (
            <p className="muted">Loading…</p>
          )}
        </>
      ) : null}
    </section>
  );
}
