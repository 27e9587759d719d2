import { useEffect, useState } from 'react';
import { AdminPage } from './admin-page.js';
import { get, post, setUnauthenticatedHandler } from './api.js';
import { AuditPage } from './audit-page.js';
import { ConnectionsPage } from './connections-page.js';
import { DirectoryPage } from './directory-page.js';
import { LoginPage } from './login-page.js';
import { navigate, useLocation } from './navigation.js';
import { SyncPage } from './sync-page.js';
import type { Me } from './types.js';

const PAGES = [
  { path: '/connections', label: 'Connections', role: 'viewer' },
  { path: '/sync', label: 'Sync', role: 'viewer' },
  { path: '/directory', label: 'Directory', role: 'viewer' },
  { path: '/audit', label: 'Audit', role: 'admin' },
  { path: '/admin', label: 'Accounts & tokens', role: 'admin' },
] as const;

function Page({ path, me }: { path: string; me: Me }) {
  if (path.startsWith('/sync')) return <SyncPage me={me} />;
  if (path.startsWith('/directory')) return <DirectoryPage />;
  if (path.startsWith('/audit')) return <AuditPage />;
  if (path.startsWith('/admin')) return <AdminPage me={me} />;
  return <ConnectionsPage me={me} />;
}

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const { path } = useLocation();
  useEffect(() => {
    setUnauthenticatedHandler(() => setMe(null));
    get<Me>('/auth/me').then(setMe, () => setMe(null));
  }, []);

  if (me === undefined) return <p className="loading">Loading…</p>;
  if (me === null) return <LoginPage onLogin={setMe} />;

  const pages = PAGES.filter((p) => p.role !== 'admin' || me.role === 'admin');
  const current = pages.find((p) => path.startsWith(p.path)) ?? pages[0];
  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">gatehouse</span>
        <nav aria-label="Main">
          {pages.map((page) => (
            <a
              key={page.path}
              href={page.path}
              aria-current={page === current ? 'page' : undefined}
              onClick={(event) => {
                event.preventDefault();
                navigate(page.path);
              }}
            >
              {page.label}
            </a>
          ))}
        </nav>
        <span className="whoami">
          {me.name} ({me.role})
          <button
            type="button"
            className="link"
            onClick={async () => {
              await post('/auth/logout').catch(() => undefined);
              setMe(null);
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <main className="content">
        <Page path={current?.path ?? '/connections'} me={me} />
      </main>
    </div>
  );
}
