import { useCallback, useEffect, useState } from 'react';
import { type MembershipOutcome, runAction } from './action-api.js';
import { enc, get } from './api.js';
import { ErrorMessage } from './error-message.js';
import { ObjectPicker, type Picked } from './object-picker.js';

interface Member {
  id: string;
  type: 'user' | 'group';
  displayName: string | null;
  userPrincipalName?: string;
  excluded?: string | boolean;
}

function outcomeText(verb: 'Added' | 'Removed', outcome: MembershipOutcome): string {
  const parts = [`${verb} ${outcome.changed.length}`];
  if (outcome.unchanged.length > 0) parts.push(`${outcome.unchanged.length} already as asked`);
  if (outcome.failed.length > 0) parts.push(`${outcome.failed.length} failed`);
  return `${parts.join(', ')}.`;
}

/**
 * A group's direct members, with several added or removed at once (group.addMember / group.removeMember take lists
 * and send them in `$batch`es). The list reads the local copy, which every action updates as it writes.
 */
export function GroupMembersEditor({ connection }: { connection: string }) {
  const [group, setGroup] = useState<Picked>();
  const [members, setMembers] = useState<Member[]>();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [toAdd, setToAdd] = useState<Picked[]>([]);
  const [busy, setBusy] = useState(false);
  const [note, setNote] = useState<string>();
  const [error, setError] = useState<unknown>();

  const load = useCallback(async () => {
    if (!group) return;
    try {
      setMembers(await get<Member[]>(`/directory/${enc(connection)}/groups/${enc(group.id)}/members`));
    } catch (caught) {
      setError(caught);
    }
  }, [connection, group]);
  useEffect(() => {
    setMembers(undefined);
    setSelected(new Set());
    setToAdd([]);
    setNote(undefined);
    void load();
  }, [load]);

  async function change(action: 'group.addMember' | 'group.removeMember', ids: string[]) {
    if (!group || ids.length === 0) return;
    setBusy(true);
    setError(undefined);
    setNote(undefined);
    try {
      const outcome = await runAction<MembershipOutcome>(connection, action, { group: group.id, members: ids });
      setNote(outcomeText(action === 'group.addMember' ? 'Added' : 'Removed', outcome));
      const failed = outcome.failed[0];
      if (failed) setError(new Error(`${failed.member}: ${failed.message} (${failed.code})`));
      setSelected(new Set());
      setToAdd([]);
      await load();
    } catch (caught) {
      setError(caught);
    }
    setBusy(false);
  }

  return (
    <section className="panel" aria-labelledby="members-title">
      <h2 id="members-title">Group members</h2>
      <ObjectPicker connection={connection} kind="group" label="Group" onPick={setGroup} />
      {group && members ? (
        <div className="stack" style={{ marginTop: '0.75rem' }}>
          <h3>
            {group.displayName}: {members.length} direct member{members.length === 1 ? '' : 's'}
          </h3>
          {members.length === 0 ? (
            <p className="empty">This group has no members yet: add some below.</p>
          ) : (
            <ul className="members" aria-label={`Members of ${group.displayName}`}>
              {members.map((m) => (
                <li key={m.id} className="member-row">
                  <label className="checkbox">
                    <input
                      type="checkbox"
                      checked={selected.has(m.id)}
                      onChange={(e) => {
                        const next = new Set(selected);
                        if (e.target.checked) next.add(m.id);
                        else next.delete(m.id);
                        setSelected(next);
                      }}
                    />
                    {m.displayName ?? <em title={`Object id ${m.id}`}>A user not in the local copy</em>}
                    {m.type === 'group' ? <span className="muted"> (group)</span> : null}
                    {m.userPrincipalName ? <span className="muted"> {m.userPrincipalName}</span> : null}
                  </label>
                </li>
              ))}
            </ul>
          )}
          {members.length > 0 ? (
            <div className="toolbar">
              <button
                type="button"
                className="danger"
                disabled={busy || selected.size === 0}
                onClick={() => change('group.removeMember', [...selected])}
              >
                Remove {selected.size || ''} selected
              </button>
            </div>
          ) : null}
          <ObjectPicker
            connection={connection}
            kind="user"
            label="Add users"
            clearOnPick
            onPick={(picked) => {
              if (picked && !toAdd.some((p) => p.id === picked.id)) setToAdd([...toAdd, picked]);
            }}
          />
          {toAdd.length > 0 ? (
            <ul className="chips" aria-label="Users to add">
              {toAdd.map((p) => (
                <li key={p.id} className="chip">
                  {p.displayName} <span className="muted">{p.detail}</span>
                  <button
                    type="button"
                    aria-label={`Do not add ${p.displayName}`}
                    onClick={() => setToAdd(toAdd.filter((x) => x.id !== p.id))}
                  >
                    ×
                  </button>
                </li>
              ))}
            </ul>
          ) : null}
          <div className="toolbar">
            <button
              type="button"
              className="primary"
              disabled={busy || toAdd.length === 0}
              onClick={() =>
                change(
                  'group.addMember',
                  toAdd.map((p) => p.id),
                )
              }
            >
              Add {toAdd.length || ''} to {group.displayName}
            </button>
          </div>
        </div>
      ) : (
        <p className="muted">Choose a group to see and change its members.</p>
      )}
      {note ? (
        <p className="ok" role="status">
          {note}
        </p>
      ) : null}
      <ErrorMessage error={error} />
    </section>
  );
}
