import { type FormEvent, useState } from 'react';
import { enc, put } from './api.js';
import { ErrorMessage } from './error-message.js';
import type { SyncStatus } from './sync-types.js';

/** Schedule and policies (admins). The schedule's examples sit under the field, never cut inside it (item 10). */
export function SettingsForm({ name, status, onSaved }: { name: string; status: SyncStatus; onSaved: () => void }) {
  const [form, setForm] = useState({
    schedule: status.schedule ?? 'off',
    disabledUsers: status.disabledUsers,
    deleteThreshold: `${status.deleteThreshold.percent}%`,
    scopeGroup: status.scopeGroup ?? '',
    notifications: status.notifications ?? 'off',
  });
  const [error, setError] = useState<unknown>();
  const [saved, setSaved] = useState(false);
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setSaved(false);
    try {
      // The switch is sent only when changed: turning it on needs a server with a public URL.
      const { notifications, ...rest } = form;
      const changed = notifications !== (status.notifications ?? 'off');
      await put(`/sync/${enc(name)}/settings`, changed ? form : rest);
      setSaved(true);
      onSaved();
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <form className="stack" onSubmit={submit} aria-label="Schedule and policies">
      <label>
        Schedule
        <input
          value={form.schedule}
          onChange={(e) => setForm({ ...form, schedule: e.target.value })}
          placeholder="e.g. every 15m"
          aria-describedby="schedule-help"
        />
      </label>
      <span id="schedule-help" className="muted">
        Examples: <code>every 15m</code>, <code>every 2h</code>, <code>daily 02:30 Europe/Berlin</code>,{' '}
        <code>off</code>
      </span>
      <div className="inline-form">
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
        <label>
          Change notifications
          <select
            value={form.notifications}
            onChange={(e) => setForm({ ...form, notifications: e.target.value as 'on' | 'off' })}
            aria-describedby="notifications-help"
          >
            <option value="off">off</option>
            <option value="on">on</option>
          </select>
        </label>
      </div>
      <span id="notifications-help" className="muted">
        On: Microsoft Graph tells gatehouse about changes and a sync runs within seconds; the schedule stays the safety
        net. Needs a server started with a public URL.
      </span>
      <div className="toolbar">
        <button type="submit">Save settings</button>
        {saved ? (
          <span className="ok" role="status">
            Saved.
          </span>
        ) : null}
      </div>
      <ErrorMessage error={error} />
    </form>
  );
}
