import { useEffect, useState } from 'react';
import type { GraphUser } from './action-api.js';
import { enc, get } from './api.js';
import { ConnectionPicker, useSelectedConnection } from './connection-picker.js';
import { CreateUserForm } from './create-user-form.js';
import { GroupMembersEditor } from './group-members-editor.js';
import { ObjectPicker, type Picked } from './object-picker.js';
import type { Me } from './types.js';
import { UserPanel } from './user-panel.js';

/**
 * Identities (issue 16 item 11): find a user, create one, enable or disable, reset the password, delete; change a
 * group's members. Every button runs an action of the registry through the REST API, so it is checked and audited
 * exactly as the CLI's `users` and `groups` commands are. Operators and admins only (the app routes viewers away).
 */
export function IdentitiesPage(_props: { me: Me }) {
  const [name, connections] = useSelectedConnection();
  const [user, setUser] = useState<GraphUser>();
  const [domain, setDomain] = useState<string>();
  const [pickerKey, setPickerKey] = useState(0);

  useEffect(() => {
    setUser(undefined);
    if (!name) return;
    // The tenant's domain, from any synced user, to suggest the UPN's form.
    get<{ userPrincipalName: string }[]>(`/directory/${enc(name)}/users?limit=1`).then(
      (users) => setDomain(users[0]?.userPrincipalName.split('@')[1]),
      () => undefined,
    );
  }, [name]);

  const pick = (picked: Picked | undefined) =>
    setUser(
      picked
        ? {
            id: picked.id,
            userPrincipalName: picked.detail,
            displayName: picked.displayName,
            accountEnabled: picked.accountEnabled ?? null,
          }
        : undefined,
    );

  return (
    <section aria-labelledby="identities-title">
      <div className="page-head">
        <h1 id="identities-title">Identities</h1>
        <ConnectionPicker selected={name} connections={connections} />
      </div>
      {name ? (
        <div className="columns">
          <div>
            <section className="panel" aria-labelledby="find-title">
              <h2 id="find-title">Users</h2>
              <ObjectPicker key={pickerKey} connection={name} kind="user" label="Find a user" onPick={pick} />
            </section>
            {user ? (
              <UserPanel
                connection={name}
                user={user}
                onDeleted={() => {
                  setUser(undefined);
                  setPickerKey(pickerKey + 1);
                }}
              />
            ) : (
              <p className="empty">Find a user by name, user principal name or mail to see what you can do.</p>
            )}
            <section className="panel" aria-labelledby="create-title">
              <h2 id="create-title">Create a user</h2>
              <CreateUserForm connection={name} domain={domain} onCreated={setUser} />
            </section>
          </div>
          <GroupMembersEditor key={name} connection={name} />
        </div>
      ) : null}
    </section>
  );
}
