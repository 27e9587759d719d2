import { useEffect, useState } from 'react';
import { AdminPage } from './admin-page.js';
import { get, post, setUnauthenticatedHandler } from './api.js';
import { AuditPage } from './audit-page.js';
import { ConnectionsPage } from './connections-page.js';
import { DirectoryPage } from './directory-page.js';
import { EventsPage } from './events-page.js';
import { IdentitiesPage } from './identities-page.js';
import { LoginPage } from './login-page.js';
import { navigate, useLocation } from './navigation.js';
import { NotAllowed } from './not-allowed.js';
import { roleAllows } from './roles.js';
import { SyncPage } from './sync-page.js';
import type { Me, Role } from './types.js';

/** Every page with the least role that may open it (the routes it calls need that role too). */
const PAGES: readonly { path: string; label: string; role: Role }[] = [
  { path: '/connections', label: 'Connections', role: 'viewer' },
  { path: '/sync', label: 'Sync', role: 'viewer' },
  { path: '/directory', label: 'Directory', role: 'viewer' },
  { path: '/identities', label: 'Identities', role: 'operator' },
  { path: '/events', label: 'Events', role: 'viewer' },
  { path: '/audit', label: 'Audit', role: 'admin' },
  { path: '/admin', label: 'Accounts & tokens', role: 'admin' },
];

function Page({ path, me }: { path: string; me: Me }) {
  if (path === '/sync') return <SyncPage me={me} />;
  if (path === '/directory') return <DirectoryPage />;
  if (path === '/identities') return <IdentitiesPage me={me} />;
  if (path === '/events') return <EventsPage me={me} />;
  if (path === '/audit') return <AuditPage />;
  if (path === '/admin') return <AdminPage me={me} />;
  return <ConnectionsPage me={me} />;
}

export function App() {
  const [me, setMe] = useState<Me | null | undefined>(undefined);
  const [menuOpen, setMenuOpen] = useState(false);
  const { path } = useLocation();
  useEffect(() => {
    setUnauthenticatedHandler(() => setMe(null));
    get<Me>('/auth/me').then(setMe, () => setMe(null));
  }, []);
  // A new page closes the narrow-screen menu.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on every navigation on purpose
  useEffect(() => setMenuOpen(false), [path]);

  if (me === undefined) return <p className="loading">Loading…</p>;
  if (me === null) return <LoginPage onLogin={setMe} />;

  const requested = PAGES.find((p) => path === p.path || path.startsWith(`${p.path}/`)) ?? PAGES[0];
  const current = requested ?? { path: '/connections', label: 'Connections', role: 'viewer' as Role };
  const allowed = roleAllows(me.role, current.role);
  const visible = PAGES.filter((p) => roleAllows(me.role, p.role));
  return (
    <div className="shell">
      <header className="topbar">
        <a className="brand" href="/connections">
          gatehouse
        </a>
        <button
          type="button"
          className="menu-button"
          aria-expanded={menuOpen}
          aria-controls="main-menu"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          {menuOpen ? 'Close menu' : 'Menu'}
        </button>
        <div id="main-menu" className={menuOpen ? 'menu open' : 'menu'}>
          <nav aria-label="Main">
            {visible.map((page) => (
              <a
                key={page.path}
                href={page.path}
                aria-current={page.path === current.path ? 'page' : undefined}
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
            <a href="/api/docs" title="The REST API reference (OpenAPI)">
              API docs
            </a>
            <span>
              {me.name} ({me.role})
            </span>
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
        </div>
      </header>
      <main className="content">
        {allowed ? (
          <Page path={current.path} me={me} />
        ) : (
          <NotAllowed page={current.label} needed={current.role} role={me.role} />
        )}
      </main>
    </div>
  );
}
