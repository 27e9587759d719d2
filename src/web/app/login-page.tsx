import { type FormEvent, useState } from 'react';
import { post } from './api.js';
import { ErrorMessage } from './error-message.js';
import type { Me } from './types.js';

interface SessionReply {
  account: { username: string; role: Me['role'] };
  csrfToken: string;
}

function toMe(reply: SessionReply): Me {
  return { kind: 'account', name: reply.account.username, role: reply.account.role, csrfToken: reply.csrfToken };
}

/** The login form, or the one-time first-admin form when opened through the setup link (`/setup#token=…`). */
export function LoginPage({ onLogin }: { onLogin: (me: Me) => void }) {
  const setupToken = new URLSearchParams(location.hash.slice(1)).get('token');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const reply = setupToken
        ? await post<SessionReply>('/auth/setup', { setupToken, username, password })
        : await post<SessionReply>('/auth/login', { username, password });
      if (setupToken) history.replaceState(null, '', '/');
      onLogin(toMe(reply));
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main className="login">
      <form onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">{setupToken ? 'Create the first admin' : 'Sign in to gatehouse'}</h1>
        {setupToken ? <p className="muted">This link works once. Choose the admin's user name and password.</p> : null}
        <label htmlFor="username">User name</label>
        <input
          id="username"
          autoComplete="username"
          value={username}
          onChange={(e) => setUsername(e.target.value)}
          required
        />
        <label htmlFor="password">Password</label>
        <input
          id="password"
          type="password"
          autoComplete={setupToken ? 'new-password' : 'current-password'}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
          minLength={setupToken ? 12 : 1}
        />
        <ErrorMessage error={error} />
        <button type="submit" className="primary" disabled={busy}>
          {setupToken ? 'Create admin' : 'Sign in'}
        </button>
      </form>
    </main>
  );
}
