import { type FormEvent, useCallback, useEffect, useState } from 'react';
import { del, enc, get, patch, post } from './api.js';
import { ErrorMessage } from './error-message.js';
import { SecretOnce } from './secret-once.js';
import { AskDialog } from './small-dialogs.js';
import { TableWrap } from './table-wrap.js';
import type { Me, Role } from './types.js';

interface Account {
  id: string;
  username: string;
  role: Role;
  disabled: boolean;
  lastLoginAt?: string;
}
interface ApiToken {
  id: string;
  name: string;
  prefix: string;
  role: Role;
  createdBy: string;
  expiresAt?: string;
  lastUsedAt?: string;
  revokedAt?: string;
}

const ROLES: Role[] = ['viewer', 'operator', 'admin'];

function RoleSelect({ id, value, onChange }: { id: string; value: Role; onChange: (role: Role) => void }) {
  return (
    <select id={id} value={value} onChange={(e) => onChange(e.target.value as Role)}>
      {ROLES.map((role) => (
        <option key={role}>{role}</option>
      ))}
    </select>
  );
}

/** Accounts for people and API tokens for machines (admins only). */
export function AdminPage({ me }: { me: Me }) {
  const [accounts, setAccounts] = useState<Account[]>([]);
  const [tokens, setTokens] = useState<ApiToken[]>([]);
  const [newAccount, setNewAccount] = useState({ username: '', password: '', role: 'viewer' as Role });
  const [newToken, setNewToken] = useState({ name: '', role: 'operator' as Role, expiresAt: '' });
  const [shownToken, setShownToken] = useState<string>();
  const [resetFor, setResetFor] = useState<string>();
  const [note, setNote] = useState<string>();
  const [error, setError] = useState<unknown>();

  const reload = useCallback(async () => {
    try {
      setAccounts(await get<Account[]>('/accounts'));
      setTokens(await get<ApiToken[]>('/tokens'));
    } catch (caught) {
      setError(caught);
    }
  }, []);
  useEffect(() => void reload(), [reload]);

  async function run(action: () => Promise<unknown>) {
    setError(undefined);
    setNote(undefined);
    try {
      await action();
    } catch (caught) {
      setError(caught);
    }
    await reload();
  }

  function createAccount(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await post('/accounts', newAccount);
      setNewAccount({ username: '', password: '', role: 'viewer' });
    });
  }

  function createToken(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      const { expiresAt, ...rest } = newToken;
      const body = { ...rest, ...(expiresAt ? { expiresAt: new Date(expiresAt).toISOString() } : {}) };
      const created = await post<{ token: string }>('/tokens', body);
      setShownToken(created.token);
      setNewToken({ name: '', role: 'operator', expiresAt: '' });
    });
  }

  return (
    <section aria-labelledby="admin-title">
      <h1 id="admin-title">Accounts and API tokens</h1>
      <ErrorMessage error={error} />
      {note ? (
        <p className="note" role="status">
          {note}
        </p>
      ) : null}
      {resetFor ? (
        <AskDialog
          title={`Reset the password of ${resetFor}`}
          label="New password (12+ characters)"
          secret
          confirm="Reset password"
          onAnswer={(password) => {
            const username = resetFor;
            setResetFor(undefined);
            if (password)
              void run(async () => {
                await patch(`/accounts/${enc(username)}`, { password });
                setNote(`The password of ${username} was changed; tell them the new one in person.`);
              });
          }}
        >
          <p>The account signs in with the new password from now on.</p>
        </AskDialog>
      ) : null}
      <h2>Accounts</h2>
      <TableWrap label="Accounts">
        <table className="list">
          <thead>
            <tr>
              <th scope="col">User name</th>
              <th scope="col">Role</th>
              <th scope="col">Last login</th>
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id}>
                <th scope="row">
                  {a.username}
                  {a.disabled ? ' (disabled)' : ''}
                </th>
                <td>
                  <label htmlFor={`role-${a.id}`} className="visually-hidden">{`Role of ${a.username}`}</label>
                  <RoleSelect
                    id={`role-${a.id}`}
                    value={a.role}
                    onChange={(role) => run(() => patch(`/accounts/${enc(a.username)}`, { role }))}
                  />
                </td>
                <td>{a.lastLoginAt ? new Date(a.lastLoginAt).toLocaleString() : '—'}</td>
                <td className="actions">
                  <button type="button" onClick={() => setResetFor(a.username)}>
                    Reset password
                  </button>
                  <button
                    type="button"
                    onClick={() => run(() => patch(`/accounts/${enc(a.username)}`, { disabled: !a.disabled }))}
                  >
                    {a.disabled ? 'Enable' : 'Disable'}
                  </button>
                  {a.username !== me.name ? (
                    <button
                      type="button"
                      className="danger"
                      onClick={() => run(() => del(`/accounts/${enc(a.username)}`))}
                    >
                      Remove
                    </button>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableWrap>
      <form className="inline-form" onSubmit={createAccount} aria-label="New account">
        <label>
          User name
          <input
            value={newAccount.username}
            onChange={(e) => setNewAccount({ ...newAccount, username: e.target.value })}
            required
          />
        </label>
        <label>
          Password (12+ characters)
          <input
            type="password"
            autoComplete="new-password"
            minLength={12}
            value={newAccount.password}
            onChange={(e) => setNewAccount({ ...newAccount, password: e.target.value })}
            required
          />
        </label>
        <label htmlFor="new-account-role">
          Role
          <RoleSelect
            id="new-account-role"
            value={newAccount.role}
            onChange={(role) => setNewAccount({ ...newAccount, role })}
          />
        </label>
        <button type="submit">Add account</button>
      </form>

      <h2>API tokens</h2>
      {shownToken ? <SecretOnce label="New API token" value={shownToken} /> : null}
      {tokens.length === 0 ? (
        <p className="empty">No API tokens yet: create one below for a script or workflow.</p>
      ) : (
        <TableWrap label="API tokens">
          <table className="list">
            <thead>
              <tr>
                <th scope="col">Name</th>
                <th scope="col">Token</th>
                <th scope="col">Role</th>
                <th scope="col">Expires</th>
                <th scope="col">Last used</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {tokens.map((t) => (
                <tr key={t.id} className={t.revokedAt ? 'revoked' : undefined}>
                  <th scope="row">{t.name}</th>
                  <td>
                    <code>{t.prefix}…</code>
                  </td>
                  <td>{t.role}</td>
                  <td>{t.expiresAt ? new Date(t.expiresAt).toLocaleString() : 'never'}</td>
                  <td>{t.lastUsedAt ? new Date(t.lastUsedAt).toLocaleString() : '—'}</td>
                  <td className="actions">
                    {t.revokedAt ? (
                      'revoked'
                    ) : (
                      <button type="button" className="danger" onClick={() => run(() => del(`/tokens/${enc(t.id)}`))}>
                        Revoke
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableWrap>
      )}
      <form className="inline-form" onSubmit={createToken} aria-label="New API token">
        <label>
          Token name
          <input value={newToken.name} onChange={(e) => setNewToken({ ...newToken, name: e.target.value })} required />
        </label>
        <label htmlFor="new-token-role">
          Role
          <RoleSelect
            id="new-token-role"
            value={newToken.role}
            onChange={(role) => setNewToken({ ...newToken, role })}
          />
        </label>
        <label>
          Expires (optional)
          <input
            type="date"
            value={newToken.expiresAt}
            onChange={(e) => setNewToken({ ...newToken, expiresAt: e.target.value })}
          />
        </label>
        <button type="submit">Create token</button>
      </form>
    </section>
  );
}
