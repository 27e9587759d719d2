import { useEffect, useState } from 'react';
import { enc, get } from './api.js';
import { ErrorMessage } from './error-message.js';

interface Member {
  id: string;
  type: 'user' | 'group';
  displayName: string | null;
  userPrincipalName?: string;
  /** Set by the API for a member the sync policy leaves out (e.g. a disabled user): the reason, or true. */
  excluded?: string | boolean;
  accountEnabled?: boolean;
}

/** A member the local copy cannot name is said in words, never shown as a bare GUID (issue 16 item 5). */
function userLabel(m: Member) {
  const excluded = m.excluded === true ? 'excluded' : typeof m.excluded === 'string' ? `excluded (${m.excluded})` : '';
  if (!m.displayName) {
    return (
      <span title={`Object id ${m.id}`}>
        <em>{excluded || 'A user not in the local copy'}</em>{' '}
        <span className="muted">(disabled users are left out by the sync policy; the id is in the tooltip)</span>
      </span>
    );
  }
  return (
    <span>
      {m.displayName} <span className="muted">{m.userPrincipalName}</span>
      {excluded || m.accountEnabled === false ? <span className="badge-muted"> — {excluded || 'disabled'}</span> : null}
    </span>
  );
}

/** A group's direct members; nested groups expand in place (loaded when opened), so the nesting stays visible. */
export function GroupMembers({
  connection,
  groupId,
  depth = 0,
}: {
  connection: string;
  groupId: string;
  depth?: number;
}) {
  const [members, setMembers] = useState<Member[]>();
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    get<Member[]>(`/directory/${enc(connection)}/groups/${enc(groupId)}/members`).then(setMembers, setError);
  }, [connection, groupId]);
  if (error) return <ErrorMessage error={error} />;
  if (!members) return <p className="muted">Loading…</p>;
  if (members.length === 0) return <p className="muted">This group has no members in the local copy.</p>;
  return (
    <ul className="members">
      {members.map((m) => (
        <li key={m.id} data-member={m.displayName ?? m.id}>
          {m.type === 'group' ? (
            <>
              <button
                type="button"
                className="link tree-toggle"
                aria-expanded={open.has(m.id)}
                onClick={() => {
                  const next = new Set(open);
                  if (next.has(m.id)) next.delete(m.id);
                  else next.add(m.id);
                  setOpen(next);
                }}
              >
                {open.has(m.id) ? '▾' : '▸'} {m.displayName} <span className="muted">(group)</span>
              </button>
              {open.has(m.id) && depth < 20 ? (
                <div className="tree">
                  <GroupMembers connection={connection} groupId={m.id} depth={depth + 1} />
                </div>
              ) : null}
            </>
          ) : (
            userLabel(m)
          )}
        </li>
      ))}
    </ul>
  );
}
