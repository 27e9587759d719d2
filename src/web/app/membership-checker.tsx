import { type FormEvent, useState } from 'react';
import { enc, get } from './api.js';
import { ErrorMessage } from './error-message.js';
import { localTime } from './local-time.js';
import { ObjectPicker, type Picked, resolveTyped } from './object-picker.js';

interface Answer {
  member: boolean;
  path: { id: string; displayName: string }[];
  source: string;
  syncedAt?: string;
}

/**
 * "Is this user in that group, directly or through nested groups?", with the path that makes it so. Both fields
 * search the local copy as you type (users by name, UPN or mail; groups by name), so "Adele Chen" works.
 */
export function MembershipChecker({ connection }: { connection: string }) {
  const [user, setUser] = useState<Picked>();
  const [userText, setUserText] = useState('');
  const [group, setGroup] = useState<Picked>();
  const [groupText, setGroupText] = useState('');
  const [offers, setOffers] = useState<{ user?: Picked[]; group?: Picked[] }>({});
  const [live, setLive] = useState(false);
  const [answer, setAnswer] = useState<Answer & { who: string }>();
  const [error, setError] = useState<unknown>();

  /** The picked object, or what the typed text resolves to; undefined when the administrator must choose. */
  async function settle(kind: 'user' | 'group', picked: Picked | undefined, text: string) {
    if (picked) return { id: picked.id, label: picked.displayName };
    const resolved = await resolveTyped(connection, kind, text);
    if ('picked' in resolved) return { id: resolved.picked.id, label: resolved.picked.displayName };
    if ('typed' in resolved) return { id: resolved.typed, label: resolved.typed };
    setOffers((current) => ({ ...current, [kind]: resolved.candidates }));
    return undefined;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    setAnswer(undefined);
    try {
      const who = await settle('user', user, userText);
      const where = await settle('group', group, groupText);
      if (!who || !where) return;
      const query = new URLSearchParams({ user: who.id, group: where.id, ...(live ? { live: 'true' } : {}) });
      const reply = await get<Answer>(`/directory/${enc(connection)}/membership?${query}`);
      setAnswer({ ...reply, who: who.label });
    } catch (caught) {
      setError(caught);
    }
  }
  return (
    <section className="panel" aria-labelledby="checker-title">
      <h2 id="checker-title">Membership checker</h2>
      <form className="inline-form" onSubmit={submit}>
        <ObjectPicker
          connection={connection}
          kind="user"
          label="User"
          required
          onPick={setUser}
          onText={setUserText}
          {...(offers.user ? { offer: offers.user } : {})}
        />
        <ObjectPicker
          connection={connection}
          kind="group"
          label="Group"
          required
          onPick={setGroup}
          onText={setGroupText}
          {...(offers.group ? { offer: offers.group } : {})}
        />
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
              {answer.syncedAt ? `, synced ${localTime(answer.syncedAt)}` : ''})
            </span>
          </p>
          {answer.member ? (
            <>
              <p className="muted">Path, from the user's direct group to the asked group:</p>
              <ol className="path" aria-label="Membership path">
                <li>{answer.who}</li>
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
