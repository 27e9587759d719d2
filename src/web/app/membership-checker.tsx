import { type FormEvent, useState } from 'react';
import { enc, get } from './api.js';
import { ErrorMessage } from './error-message.js';

interface Answer {
  member: boolean;
  path: { id: string; displayName: string }[];
  source: string;
  syncedAt?: string;
}

/** "Is this user in that group, directly or through nested groups?", with the path that makes it so. */
export function MembershipChecker({ connection }: { connection: string }) {
  const [user, setUser] = useState('');
  const [group, setGroup] = useState('');
  const [live, setLive] = useState(false);
  const [answer, setAnswer] = useState<Answer>();
  const [error, setError] = useState<unknown>();
  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setAnswer(undefined);
    const query = new URLSearchParams({ user: user.trim(), group: group.trim(), ...(live ? { live: 'true' } : {}) });
    try {
      setAnswer(await get<Answer>(`/directory/${enc(connection)}/membership?${query}`));
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <section className="panel" aria-labelledby="checker-title">
      <h2 id="checker-title">Membership checker</h2>
      <form className="inline-form" onSubmit={submit}>
        <label>
          User (UPN or id)
          <input value={user} onChange={(e) => setUser(e.target.value)} required />
        </label>
        <label>
          Group (name or id)
          <input value={group} onChange={(e) => setGroup(e.target.value)} required />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={live} onChange={(e) => setLive(e.target.checked)} /> Ask Graph live
        </label>
        <button type="submit" className="primary">
          Check
        </button>
      </form>
      <ErrorMessage error={error} />
      {answer ? (
        <div className="answer" role="status" data-testid="membership-answer">
          <p className={answer.member ? 'ok' : 'bad'}>
            <strong>{answer.member ? 'Member' : 'Not a member'}</strong>
            <span className="muted">
              {' '}
              (from the {answer.source === 'live' ? 'live Graph' : 'local directory'}
              {answer.syncedAt ? `, synced ${new Date(answer.syncedAt).toLocaleString()}` : ''})
            </span>
          </p>
          {answer.member ? (
            <>
              <p className="muted">Path, from the user's direct group to the asked group:</p>
              <ol className="path" aria-label="Membership path">
                <li>{user.trim()}</li>
                {answer.path.map((step) => (
                  <li key={step.id}>{step.displayName}</li>
                ))}
              </ol>
            </>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
