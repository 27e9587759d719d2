import { useEffect, useState } from 'react';
import { get } from './api.js';
import { navigate, useLocation } from './navigation.js';
import type { ConnectionView } from './types.js';

/** The connection a page works on, kept in the URL (`?connection=NAME`) so links and reloads keep it. */
export function useSelectedConnection(): [string | undefined, ConnectionView[] | undefined] {
  const { path, query } = useLocation();
  const [connections, setConnections] = useState<ConnectionView[]>();
  useEffect(() => {
    get<ConnectionView[]>('/connections').then(setConnections, () => setConnections([]));
  }, []);
  const wanted = query.get('connection') ?? undefined;
  const selected = connections?.find((c) => c.name === wanted)?.name ?? connections?.[0]?.name;
  useEffect(() => {
    if (selected && selected !== wanted)
      history.replaceState(null, '', `${path}?connection=${encodeURIComponent(selected)}`);
  }, [selected, wanted, path]);
  return [selected, connections];
}

export function ConnectionPicker({ selected, connections }: { selected?: string; connections?: ConnectionView[] }) {
  if (!connections) return null;
  if (connections.length === 0) return <p className="empty">No connections yet: create one on the Connections page.</p>;
  return (
    <label className="picker">
      Connection
      <select
        value={selected}
        onChange={(e) => navigate(`${location.pathname}?connection=${encodeURIComponent(e.target.value)}`)}
      >
        {connections.map((c) => (
          <option key={c.id}>{c.name}</option>
        ))}
      </select>
    </label>
  );
}
