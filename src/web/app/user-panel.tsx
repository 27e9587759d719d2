import { useEffect, useState } from 'react';
import { type GraphUser, runAction } from './action-api.js';
import { ConfirmTypedDialog } from './confirm-typed-dialog.js';
import { ErrorMessage } from './error-message.js';
import { SecretOnce } from './secret-once.js';

/**
 * One user, read live from Graph: enable or disable, reset the password (the new one shown once), delete with a
 * typed confirmation. Each button runs the registry's action, audited as the signed-in account.
 */
export function UserPanel(props: {
  connection: string;
  /** What is known already (from the picker or a create), shown until Graph answers. */
  user: GraphUser;
  onDeleted: () => void;
}) {
  const { connection } = props;
  const [user, setUser] = useState<GraphUser>(props.user);
  const [busy, setBusy] = useState('');
  const [error, setError] = useState<unknown>();
  const [note, setNote] = useState<string>();
  const [password, setPassword] = useState<string>();
  const [confirmDelete, setConfirmDelete] = useState(false);

  useEffect(() => {
    setUser(props.user);
    setPassword(undefined);
    setNote(undefined);
    setError(undefined);
    // Fresh from Graph (the local copy may be a sync behind); a user created a moment ago may not be readable yet.
    runAction<GraphUser>(connection, 'user.get', { user: props.user.id }).then(setUser, () => undefined);
  }, [connection, props.user]);

  async function act(label: string, action: () => Promise<void>) {
    setBusy(label);
    setError(undefined);
    setNote(undefined);
    try {
      await action();
    } catch (caught) {
      setError(caught);
    }
    setBusy('');
  }

  const enabled = user.accountEnabled !== false;
  return (
    <section className="panel" aria-labelledby="user-title" data-testid="user-panel">
      <h2 id="user-title">{user.displayName ?? user.userPrincipalName}</h2>
      <dl className="report">
        <dt>User principal name</dt>
        <dd>{user.userPrincipalName}</dd>
        <dt>Sign-in</dt>
        <dd data-testid="user-enabled">{enabled ? 'enabled' : 'disabled'}</dd>
        {user.jobTitle ? (
          <>
            <dt>Job title</dt>
            <dd>{user.jobTitle}</dd>
          </>
        ) : null}
        {user.department ? (
          <>
            <dt>Department</dt>
            <dd>{user.department}</dd>
          </>
        ) : null}
      </dl>
      <div className="toolbar" style={{ marginTop: '0.75rem' }}>
        <button
          type="button"
          disabled={busy !== ''}
          onClick={() =>
            act('enable', async () => {
              const result = await runAction<{ user: GraphUser; changed: boolean }>(
                connection,
                enabled ? 'user.disable' : 'user.enable',
                { user: user.id },
              );
              setUser({ ...user, ...result.user, accountEnabled: !enabled });
              setNote(
                result.changed
                  ? `${enabled ? 'Disabled' : 'Enabled'} ${user.userPrincipalName}.`
                  : `${user.userPrincipalName} was already ${enabled ? 'disabled' : 'enabled'}.`,
              );
            })
          }
        >
          {enabled ? 'Disable sign-in' : 'Enable sign-in'}
        </button>
        <button
          type="button"
          disabled={busy !== ''}
          onClick={() =>
            act('reset', async () => {
              const result = await runAction<{ password?: string }>(connection, 'user.resetPassword', {
                user: user.id,
              });
              setPassword(result.password);
              setNote(`Reset the password of ${user.userPrincipalName}; it must be changed at the next sign-in.`);
            })
          }
        >
          {busy === 'reset' ? 'Resetting…' : 'Reset password'}
        </button>
        <button type="button" className="danger" disabled={busy !== ''} onClick={() => setConfirmDelete(true)}>
          Delete…
        </button>
      </div>
      {note ? (
        <p className="ok" role="status">
          {note}
        </p>
      ) : null}
      {password ? <SecretOnce label={`New password of ${user.userPrincipalName}`} value={password} /> : null}
      <ErrorMessage error={error} />
      {confirmDelete ? (
        <ConfirmTypedDialog
          title={`Delete ${user.userPrincipalName}?`}
          expected={user.userPrincipalName}
          confirm="Delete user"
          onAnswer={(confirmed) => {
            setConfirmDelete(false);
            if (!confirmed) return;
            void act('delete', async () => {
              await runAction(connection, 'user.delete', { user: user.id });
              props.onDeleted();
            });
          }}
        >
          <p>
            The user can no longer sign in. Entra keeps the account under Deleted users for 30 days, where an
            administrator can restore it.
          </p>
        </ConfirmTypedDialog>
      ) : null}
    </section>
  );
}
