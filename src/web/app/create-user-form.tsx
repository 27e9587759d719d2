import { type FormEvent, useState } from 'react';
import { type GraphUser, runAction } from './action-api.js';
import { ErrorMessage } from './error-message.js';
import { SecretOnce } from './secret-once.js';

/** Creates a user through the registry's user.create; the generated password is shown once with a Copy button. */
export function CreateUserForm(props: {
  connection: string;
  domain: string | undefined;
  onCreated: (user: GraphUser) => void;
}) {
  const [upn, setUpn] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>();
  const [created, setCreated] = useState<{ upn: string; password?: string }>();

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    setCreated(undefined);
    try {
      const user = await runAction<GraphUser & { password?: string }>(props.connection, 'user.create', {
        userPrincipalName: upn.trim(),
        displayName: displayName.trim(),
      });
      const { password, ...rest } = user;
      setCreated({ upn: rest.userPrincipalName, ...(password ? { password } : {}) });
      setUpn('');
      setDisplayName('');
      props.onCreated(rest);
    } catch (caught) {
      setError(caught);
    }
    setBusy(false);
  }

  return (
    <form className="stack" onSubmit={submit} aria-label="Create a user">
      <div className="inline-form">
        <label>
          Display name
          <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} required maxLength={256} />
        </label>
        <label>
          User principal name
          <input
            value={upn}
            onChange={(e) => setUpn(e.target.value)}
            required
            placeholder={props.domain ? `name@${props.domain}` : 'name@your-domain'}
            pattern="[^@\s]+@[^@\s]+"
            title="name@verified-domain"
          />
        </label>
        <button type="submit" className="primary" disabled={busy}>
          {busy ? 'Creating…' : 'Create user'}
        </button>
      </div>
      <p className="muted">A strong password is generated; the user must change it at the first sign-in.</p>
      {created ? (
        <>
          <p className="ok" role="status">
            Created {created.upn}.
          </p>
          {created.password ? <SecretOnce label={`Password of ${created.upn}`} value={created.password} /> : null}
        </>
      ) : null}
      <ErrorMessage error={error} />
    </form>
  );
}
