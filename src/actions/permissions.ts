import { permissionSets } from '../doctor/capabilities.js';

/**
 * Application permission sets per kind of operation, each "any one set suffices", least privileged first. They are
 * derived from the one capabilities table (src/doctor/capabilities.ts), which the doctor and the permission planner
 * read too, so the three can never disagree.
 */
export const READ_USERS = permissionSets('readUsers');
export const READ_GROUPS = permissionSets('readGroupMembers');
export const READ_USER_MEMBERSHIPS = permissionSets('readUsers', 'readGroupMembers');
export const WRITE_USERS = permissionSets('writeUsers');
/** Delete reads the user first (to refresh the local directory by id), hence a user read with DeleteRestore. */
export const DELETE_USERS = permissionSets('deleteUsers', 'readUsers');
export const ENABLE_DISABLE_USERS = permissionSets('enableDisableUsers', 'readUsers');
/**
 * Setting another user's passwordProfile app-only: User-PasswordProfile.ReadWrite.All is the least privileged
 * permission, and the app also needs a directory role such as User Administrator (Privileged Authentication
 * Administrator for admins): https://learn.microsoft.com/graph/api/user-update#permissions
 */
export const RESET_PASSWORDS = permissionSets('resetPasswords', 'readUsers');
export const WRITE_GROUP_MEMBERS = permissionSets('writeGroupMembers');

/** Whether the granted roles satisfy at least one of the sets. */
export function satisfies(granted: readonly string[], sets: readonly (readonly string[])[]): boolean {
  return sets.length === 0 || sets.some((set) => set.every((p) => granted.includes(p)));
}

/** The permissions of the least privileged set that the roles do not hold yet. */
export function missingFrom(granted: readonly string[], sets: readonly (readonly string[])[]): string[] {
  const first = sets[0] ?? [];
  return first.filter((p) => !granted.includes(p));
}

/** "GroupMember.ReadWrite.All (or Group.ReadWrite.All, or Directory.ReadWrite.All)". */
export function describeSets(sets: readonly (readonly string[])[]): string {
  const [first, ...rest] = sets.map((set) => set.join(' + '));
  if (first === undefined) return 'whatever the called Graph API requires';
  return rest.length === 0 ? first : `${first} (or ${rest.join(', or ')})`;
}
