import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { enc, get, post, put } from './api.js';
import { ConnectionPicker, useSelectedConnection } from './connection-picker.js';
import { ErrorMessage } from './error-message.js';
import { type ProgressState, progressPercent, type SyncProgressEvent } from './sync-progress.js';
import type { Me } from './types.js';

interface Counts {
  added: number;
  updated?: number;
  removed: number;
}
interface SyncReport {
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
  errors?: { code: string; message: string }[];
}
interface RunRecord {
  id: string;
  startedAt: string;
  mode: string;
  status: string;
  dryRun: boolean;
  errorCode?: string;
  report: SyncReport;
}
interface SyncStatus {
  schedule: string | null;
  nextRunAt: string | null;
  disabledUsers: string;
  deleteThreshold: { count: number; percent: number };
  scopeGroup: string | null;
  running: boolean;
  lastSyncedAt: string | null;
  pendingRemovals: { users: number; groups: number; memberships: number };
}

const counts = (c: Counts) => `+${c.added} ~${c.updated ?? 0} −${c.removed}`;
const when = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleString() : '—');

function ReportView({ report }: { report: SyncReport }) {
  return (
    <dl className="report" aria-label="Sync report">
      <dt>Status</dt>
      <dd className={report.status === 'succeeded' ? 'ok' : 'bad'} data-testid="sync-status">
        {report.status}
        {report.dryRun ? ' (dry run)' : ''}
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
      {report.errors?.map((e) => (
        <dd key={e.code} className="bad">
          {e.code}: {e.message}
        </dd>
      ))}
    </dl>
  );
}

function SettingsForm({ name, status, onSaved }: { name: string; status: SyncStatus; onSaved: () => void }) {
  const [form, setForm] = useState({
    schedule: status.schedule ?? 'off',
    disabledUsers: status.disabledUsers,
    deleteThreshold: `${status.deleteThreshold.percent}%`,
    scopeGroup: status.scopeGroup ?? '',
  });
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      await put(`/sync/${enc(name)}/settings`, form);
      setSaved(true);
      onSaved();
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <form className="inline-form" onSubmit={submit} aria-label="Schedule and policies">
      <label>
        Schedule
        <input
          value={form.schedule}
          onChange={(e) => setForm({ ...form, schedule: e.target.value })}
          placeholder="every 15m, daily 02:30 Europe/Berlin, off"
          aria-describedby="schedule-help"
        />
      </label>
      <label>
        Disabled users
        <select value={form.disabledUsers} onChange={(e) => setForm({ ...form, disabledUsers: e.target.value })}>
          <option value="exclude">exclude</option>
          <option value="include">include</option>
        </select>
      </label>
      <label>
        Delete threshold
        <input
          value={form.deleteThreshold}
          onChange={(e) => setForm({ ...form, deleteThreshold: e.target.value })}
          size={6}
        />
      </label>
      <label>
        Scope group (optional)
        <input value={form.scopeGroup} onChange={(e) => setForm({ ...form, scopeGroup: e.target.value })} />
      </label>
      <button type="submit">Save settings</button>
      <span id="schedule-help" className="muted">
        Examples: <code>every 15m</code>, <code>every 2h</code>, <code>daily 02:30 Europe/Berlin</code>,{' '}
        <code>off</code>
      </span>
      {saved ? <span className="ok">Saved.</span> : null}
      <ErrorMessage error={error} />
    </form>
  );
}

/** Sync: run now with a live progress bar, the schedule and policies, quarantined runs, history and reports. */
export function SyncPage({ me }: { me: Me }) {
  const [name, connections] = useSelectedConnection();
  const [status, setStatus] = useState<SyncStatus>();
  const [history, setHistory] = useState<RunRecord[]>([]);
  const [report, setReport] = useState<SyncReport>();
  const [progress, setProgress] = useState<ProgressState>();
  const [options, setOptions] = useState({ full: false, dryRun: false });
  const [error, setError] = useState<unknown>();
  const canRun = me.role !== 'viewer';

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
  const percent = progress ? progressPercent(progress) : 0;
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
              Last synced: {when(status.lastSyncedAt)} · Schedule: {status.schedule ?? 'off'}
              {status.nextRunAt ? ` · next ${when(status.nextRunAt)}` : ''}
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
            ) : null}
            {progress ? (
              <div className="progress">
                <label htmlFor="sync-progress">
                  {progress.finished
                    ? 'Finished'
                    : `Users: ${progress.users?.objects ?? 0} read · Groups: ${progress.groups?.objects ?? 0} read`}
                </label>
                <progress id="sync-progress" max={100} value={percent} aria-valuetext={`${percent}%`}>
                  {percent}%
                </progress>
              </div>
            ) : null}
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
          <table className="list">
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
              {history.map((run) => (
                <tr key={run.id}>
                  <td>{when(run.startedAt)}</td>
                  <td>{run.mode}</td>
                  <td className={run.status === 'succeeded' ? 'ok' : 'bad'}>
                    {run.status}
                    {run.dryRun ? ' (dry run)' : ''}
                    {run.errorCode ? ` (${run.errorCode})` : ''}
                  </td>
                  <td>{counts(run.report.users)}</td>
                  <td>{counts(run.report.groups)}</td>
                  <td>{counts(run.report.memberships)}</td>
                  <td>{(run.report.durationMs / 1000).toFixed(1)} s</td>
                  <td className="actions">
                    <button type="button" onClick={() => setReport(run.report)}>
                      Report
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      ) : null}
    </section>
  );
}
