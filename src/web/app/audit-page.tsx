import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { get } from './api.js';
import { ErrorMessage } from './error-message.js';
import { localTime } from './local-time.js';
import { TableWrap } from './table-wrap.js';

interface AuditEvent {
  id: string;
  at: string;
  actor: string;
  origin: { channel: string; address?: string };
  connection?: string;
  action: string;
  target?: string;
  result: string;
  errorCode?: string;
}

/** The audit log: who did what, when and from where (admins only). */
export function AuditPage() {
  const [events, setEvents] = useState<AuditEvent[]>();
  const [filter, setFilter] = useState({ actor: '', action: '', connection: '' });
  const [error, setError] = useState<unknown>();
  const [filtered, setFiltered] = useState(false);

  const load = useCallback(async (query: typeof filter, beforeId?: string) => {
    const params = new URLSearchParams({ limit: '100' });
    for (const [key, value] of Object.entries(query)) if (value.trim()) params.set(key, value.trim());
    if (beforeId) params.set('beforeId', beforeId);
    try {
      const page = await get<AuditEvent[]>(`/audit?${params}`);
      setEvents((current) => (beforeId ? [...(current ?? []), ...page] : page));
      setFiltered(Object.values(query).some((value) => value.trim() !== ''));
    } catch (caught) {
      setError(caught);
    }
  }, []);
  useEffect(() => {
    void load({ actor: '', action: '', connection: '' });
  }, [load]);

  function submit(event: FormEvent) {
    event.preventDefault();
    void load(filter);
  }

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <form className="filters" onSubmit={submit}>
        {(['actor', 'action', 'connection'] as const).map((key) => (
          <label key={key}>
            {key[0]?.toUpperCase() + key.slice(1)}
            <input value={filter[key]} onChange={(e) => setFilter({ ...filter, [key]: e.target.value })} />
          </label>
        ))}
        <button type="submit">Filter</button>
      </form>
      <ErrorMessage error={error} />
      {events !== undefined && events.length === 0 ? (
        <p className="empty" role="status">
          {filtered ? 'No audit events match this filter.' : 'Nothing has been audited yet.'}
        </p>
      ) : null}
      <TableWrap label="Audit events">
        <table className="list">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Who</th>
              <th scope="col">From</th>
              <th scope="col">What</th>
              <th scope="col">Connection</th>
              <th scope="col">Target</th>
              <th scope="col">Result</th>
            </tr>
          </thead>
          <tbody>
            {(events ?? []).map((e) => (
              <tr key={e.id}>
                <td>{localTime(e.at)}</td>
                <td>{e.actor}</td>
                <td>
                  {e.origin.channel}
                  {e.origin.address ? ` ${e.origin.address}` : ''}
                </td>
                <td>
                  <code>{e.action}</code>
                </td>
                <td>{e.connection ?? ''}</td>
                <td>{e.target ?? ''}</td>
                <td className={e.result === 'succeeded' ? 'ok' : 'bad'}>
                  {e.result}
                  {e.errorCode ? ` (${e.errorCode})` : ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {events && events.length > 0 && events.length % 100 === 0 ? (
        <button type="button" onClick={() => load(filter, events[events.length - 1]?.id)}>
          Older events
        </button>
      ) : null}
    </section>
  );
}
