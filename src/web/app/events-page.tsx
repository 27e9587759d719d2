import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import { enc, get, post } from './api.js';
import { ConnectionPicker, useSelectedConnection } from './connection-picker.js';
import { ErrorMessage } from './error-message.js';
import { localTime } from './local-time.js';
import { roleAllows } from './roles.js';
import { TableWrap } from './table-wrap.js';
import type { Me } from './types.js';

interface DirectoryEvent {
  id: string;
  type: string;
  occurredAt: string;
  source: string;
  data: Record<string, unknown>;
}

interface Webhook {
  name: string;
  url: string;
  connection: string | null;
  types: string[];
  deliveries: { pending: number; succeeded: number; failed: number };
}

interface Delivery {
  eventId: string;
  connection: string;
  type: string | null;
  status: string;
  attempts: number;
  responseStatus: number | null;
  error: string | null;
  latencyMs: number | null;
  lastAttemptAt: string | null;
}

const TYPES = [
  'user.created',
  'user.updated',
  'user.disabled',
  'user.enabled',
  'user.deleted',
  'user.restored',
  'user.purged',
  'group.created',
  'group.updated',
  'group.deleted',
  'membership.added',
  'membership.removed',
];

/** What an event is about, in words. */
function subject(e: DirectoryEvent): string {
  const user = e.data.user as { userPrincipalName?: string; id?: string } | undefined;
  const group = e.data.group as { displayName?: string; id?: string } | undefined;
  if (user) return user.userPrincipalName ?? user.id ?? '';
  if (group) return group.displayName ?? group.id ?? '';
  return `${String(e.data.memberId)} in ${String(e.data.groupId)}${e.data.transitive ? ' (through nesting)' : ''}`;
}

/** The deliveries of one webhook, with a Redeliver button per event. */
function Deliveries({ webhook, onChange }: { webhook: Webhook; onChange: () => void }) {
  const [list, setList] = useState<Delivery[]>();
  const [failedOnly, setFailedOnly] = useState(false);
  const [error, setError] = useState<unknown>();
  const load = useCallback(async () => {
    try {
      setList(
        await get<Delivery[]>(`/webhooks/${enc(webhook.name)}/deliveries?limit=50${failedOnly ? '&failed=true' : ''}`),
      );
    } catch (caught) {
      setError(caught);
    }
  }, [webhook.name, failedOnly]);
  useEffect(() => {
    void load();
  }, [load]);
  async function redeliver(d: Delivery) {
    try {
      await post(`/webhooks/${enc(webhook.name)}/redeliver`, { eventId: d.eventId, connection: d.connection });
      await load();
      onChange();
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <div>
      <label className="inline">
        <input type="checkbox" checked={failedOnly} onChange={(e) => setFailedOnly(e.target.checked)} /> Failed only
      </label>
      <ErrorMessage error={error} />
      {list !== undefined && list.length === 0 ? <p className="empty">No deliveries yet.</p> : null}
      <TableWrap label={`Deliveries of ${webhook.name}`}>
        <table className="list">
          <thead>
            <tr>
              <th scope="col">Event</th>
              <th scope="col">Type</th>
              <th scope="col">Status</th>
              <th scope="col">Attempts</th>
              <th scope="col">Answer</th>
              <th scope="col">Last attempt</th>
              <th scope="col">Action</th>
            </tr>
          </thead>
          <tbody>
            {(list ?? []).map((d) => (
              <tr key={`${d.connection}/${d.eventId}`}>
                <td>{d.eventId}</td>
                <td>
                  <code>{d.type ?? ''}</code>
                </td>
                <td className={d.status === 'succeeded' ? 'ok' : d.status === 'failed' ? 'bad' : ''}>{d.status}</td>
                <td>{d.attempts}</td>
                <td>
                  {d.responseStatus ?? ''} {d.error ?? ''} {d.latencyMs !== null ? `(${d.latencyMs} ms)` : ''}
                </td>
                <td>{d.lastAttemptAt ? localTime(d.lastAttemptAt) : ''}</td>
                <td>
                  {d.status !== 'pending' ? (
                    <button type="button" onClick={() => redeliver(d)}>
                      Redeliver
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
    </div>
  );
}

/** Admins: the webhooks with their delivery counts; pick one to see its deliveries. */
function Webhooks() {
  const [hooks, setHooks] = useState<Webhook[]>();
  const [open, setOpen] = useState<string>();
  const [error, setError] = useState<unknown>();
  const load = useCallback(() => get<Webhook[]>('/webhooks').then(setHooks, setError), []);
  useEffect(() => {
    void load();
  }, [load]);
  const shown = hooks?.find((h) => h.name === open);
  return (
    <section aria-labelledby="webhooks-title">
      <h2 id="webhooks-title">Webhooks</h2>
      <ErrorMessage error={error} />
      {hooks !== undefined && hooks.length === 0 ? (
        <p className="empty">No webhooks yet: create one with `gatehouse webhooks create` or POST /api/v1/webhooks.</p>
      ) : null}
      <TableWrap label="Webhooks">
        <table className="list">
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">URL</th>
              <th scope="col">Connection</th>
              <th scope="col">Delivered</th>
              <th scope="col">Pending</th>
              <th scope="col">Failed</th>
            </tr>
          </thead>
          <tbody>
            {(hooks ?? []).map((h) => (
              <tr key={h.name}>
                <td>
                  <button
                    type="button"
                    className="link"
                    aria-expanded={open === h.name}
                    onClick={() => setOpen(h.name)}
                  >
                    {h.name}
                  </button>
                </td>
                <td>{h.url}</td>
                <td>{h.connection ?? 'all'}</td>
                <td>{h.deliveries.succeeded}</td>
                <td>{h.deliveries.pending}</td>
                <td className={h.deliveries.failed > 0 ? 'bad' : ''}>{h.deliveries.failed}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {shown ? <Deliveries webhook={shown} onChange={() => void load()} /> : null}
    </section>
  );
}

/** Recent directory events of a connection (with type filter), and for admins the webhooks and their deliveries. */
export function EventsPage({ me }: { me: Me }) {
  const [name, connections] = useSelectedConnection();
  const [type, setType] = useState('');
  const [events, setEvents] = useState<DirectoryEvent[]>();
  const [error, setError] = useState<unknown>();
  // Only the newest request may fill the table: switching the connection (or the type) while an earlier answer is
  // still on its way must not let that stale answer land last and show another connection's events.
  const latest = useRef(0);
  const load = useCallback(async (connection: string, only: string) => {
    const request = ++latest.current;
    try {
      const params = new URLSearchParams({ connection, limit: '200', newest: 'true' });
      if (only) params.set('type', only);
      const page = await get<{ events: DirectoryEvent[] }>(`/events?${params}`);
      if (request === latest.current) setEvents(page.events.reverse());
    } catch (caught) {
      if (request === latest.current) setError(caught);
    }
  }, []);
  useEffect(() => {
    if (name) void load(name, type);
  }, [name, type, load]);
  function submit(event: FormEvent) {
    event.preventDefault();
    if (name) void load(name, type);
  }
  return (
    <section aria-labelledby="events-title">
      <h1 id="events-title">Events</h1>
      <ConnectionPicker selected={name} connections={connections} />
      <form className="filters" onSubmit={submit}>
        <label>
          Type
          <select value={type} onChange={(e) => setType(e.target.value)}>
            <option value="">All types</option>
            {TYPES.map((t) => (
              <option key={t}>{t}</option>
            ))}
          </select>
        </label>
        <button type="submit">Refresh</button>
      </form>
      <ErrorMessage error={error} />
      {events !== undefined && events.length === 0 ? (
        <p className="empty" role="status">
          No events yet: the first sync loads the directory without events; changes after it appear here.
        </p>
      ) : null}
      <TableWrap label="Recent events">
        <table className="list">
          <thead>
            <tr>
              <th scope="col">Id</th>
              <th scope="col">When</th>
              <th scope="col">Type</th>
              <th scope="col">About</th>
              <th scope="col">Source</th>
            </tr>
          </thead>
          <tbody>
            {(events ?? []).map((e) => (
              <tr key={e.id}>
                <td>{e.id}</td>
                <td>{localTime(e.occurredAt)}</td>
                <td>
                  <code>{e.type}</code>
                </td>
                <td>{subject(e)}</td>
                <td>{e.source}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      {roleAllows(me.role, 'admin') ? <Webhooks /> : null}
    </section>
  );
}
