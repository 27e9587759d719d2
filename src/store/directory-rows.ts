import type { Selectable } from 'kysely';
import type { DirectoryGroup, DirectoryUser } from '../directory/directory-model.js';
import type { DirectoryGroupsTable, DirectoryUsersTable } from './schema/directory.js';

/** A stored user row as the domain's user (without the soft-delete mark, which readers add where they show it). */
export function userOfRow(row: Selectable<DirectoryUsersTable>): DirectoryUser {
  return {
    id: row.id,
    userPrincipalName: row.user_principal_name,
    displayName: row.display_name,
    mail: row.mail,
    givenName: row.given_name,
    surname: row.surname,
    jobTitle: row.job_title,
    department: row.department,
    accountEnabled: Number(row.account_enabled) === 1,
  };
}

/** A stored group row as the domain's group. */
export function groupOfRow(row: Selectable<DirectoryGroupsTable>): DirectoryGroup {
  return {
    id: row.id,
    displayName: row.display_name,
    description: row.description,
    mailEnabled: Number(row.mail_enabled) === 1,
    securityEnabled: Number(row.security_enabled) === 1,
    groupTypes: JSON.parse(row.group_types) as string[],
  };
}
