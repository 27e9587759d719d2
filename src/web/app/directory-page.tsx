import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { enc, get } from './api.js';
import { ConnectionPicker, useSelectedConnection } from './connection-picker.js';
import { ErrorMessage } from './error-message.js';
import { GroupMembers } from './group-members.js';
import { MembershipChecker } from './membership-checker.js';
import { TableWrap } from './table-wrap.js';

interface User {
  id: string;
  userPrincipalName: string;
  displayName: string | null;
  mail: string | null;
  accountEnabled: boolean;
  /** Soft-deleted in Entra: kept (with hidden memberships) until restored or permanently deleted. */
  deleted?: boolean;
  jobTitle?: string | null;
  department?: string | null;
}
interface Group {
  id: string;
  displayName: string;
  description: string | null;
}

/** The local directory copy: users and groups with search, a group's members with nesting, the checker. */
export function DirectoryPage() {
  const [name, connections] = useSelectedConnection();
  const [tab, setTab] = useState<'users' | 'groups'>('groups');
  const [search, setSearch] = useState('');
  const [users, setUsers] = useState<User[]>([]);
  const [groups, setGroups] = useState<Group[]>([]);
  const [counts, setCounts] = useState<{ users: number; groups: number; memberships: number }>();
  const [selectedGroup, setSelectedGroup] = useState<Group>();
  const [error, setError] = useState<unknown>();
  const [searched, setSearched] = useState('');

  const load = useCallback(
    async (text: string) => {
      if (!name) return;
      setError(undefined);
      const query = new URLSearchParams({ limit: '200', ...(text.trim() ? { search: text.trim() } : {}) });
      try {
        setCounts(await get(`/directory/${enc(name)}/counts`));
        setUsers(await get<User[]>(`/directory/${enc(name)}/users?${query}`));
        setGroups(await get<Group[]>(`/directory/${enc(name)}/groups?${query}`));
        setSearched(text.trim());
      } catch (caught) {
        setError(caught);
      }
    },
    [name],
  );
  useEffect(() => {
    setSelectedGroup(undefined);
    void load('');
  }, [load]);

  function submit(event: FormEvent) {
    event.preventDefault();
    void load(search);
  }

  return (
    <section aria-labelledby="directory-title">
      <div className="page-head">
        <h1 id="directory-title">Directory</h1>
        <ConnectionPicker selected={name} connections={connections} />
      </div>
      <ErrorMessage error={error} />
      {name ? (
        <>
          {counts ? (
            <p className="muted">
              Local copy: {counts.users} users, {counts.groups} groups, {counts.memberships} memberships.
            </p>
          ) : null}
          <MembershipChecker connection={name} />
          <div className="toolbar directory-toolbar">
            <div className="toolbar" role="tablist" aria-label="Directory objects">
              {(['groups', 'users'] as const).map((t) => (
                <button
                  key={t}
                  type="button"
                  role="tab"
                  aria-selected={tab === t}
                  className={tab === t ? 'primary' : undefined}
                  onClick={() => setTab(t)}
                >
                  {t === 'users' ? `Users (${users.length})` : `Groups (${groups.length})`}
                </button>
              ))}
            </div>
            <form onSubmit={submit} className="search">
              <label htmlFor="directory-search" className="visually-hidden">
                Search
              </label>
              <input
                id="directory-search"
                type="search"
                placeholder="Search names, UPNs, mail"
                value={search}
                onChange={(e) => setSearch(e.target.value)}
              />
              <button type="submit">Search</button>
            </form>
          </div>
          {counts && counts.users + counts.groups === 0 ? (
            <p className="empty">
              The local copy is empty: run a sync on the <a href={`/sync?connection=${enc(name)}`}>Sync page</a>.
            </p>
          ) : (tab === 'users' ? users : groups).length === 0 ? (
            <p className="empty" role="status">
              {searched ? `No ${tab} match “${searched}”.` : `No ${tab} in the local copy.`}
            </p>
          ) : tab === 'users' ? (
            <TableWrap label="Users">
              <table className="list">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">User principal name</th>
                    <th scope="col">Mail</th>
                    <th scope="col">Department</th>
                    <th scope="col">Enabled</th>
                  </tr>
                </thead>
                <tbody>
                  {users.map((u) => (
                    <tr key={u.id}>
                      <th scope="row">{u.displayName}</th>
                      <td>{u.userPrincipalName}</td>
                      <td>{u.mail ?? ''}</td>
                      <td>{u.department ?? ''}</td>
                      <td>{u.deleted ? 'deleted' : u.accountEnabled ? 'yes' : 'no'}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableWrap>
          ) : (
            <div className="columns">
              <ul className="group-list" aria-label="Groups">
                {groups.map((g) => (
                  <li key={g.id}>
                    <button
                      type="button"
                      className={selectedGroup?.id === g.id ? 'group selected' : 'group'}
                      aria-pressed={selectedGroup?.id === g.id}
                      onClick={() => setSelectedGroup(g)}
                    >
                      {g.displayName}
                    </button>
                  </li>
                ))}
              </ul>
              <div className="panel">
                {selectedGroup ? (
                  <>
                    <h2>Members of {selectedGroup.displayName}</h2>
                    <GroupMembers key={selectedGroup.id} connection={name} groupId={selectedGroup.id} />
                  </>
                ) : (
                  <p className="muted">Choose a group to see its members; nested groups expand in place.</p>
                )}
              </div>
            </div>
          )}
        </>
      ) : null}
    </section>
  );
}
