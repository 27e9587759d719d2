/**
 * Application permission sets per kind of operation (facts E.2, product.md section 6). Each list is "any one set
 * suffices", least privileged first.
 */
export const READ_USERS = [['User.Read.All'], ['User.ReadWrite.All'], ['Directory.Read.All']] as const;
export const READ_GROUPS = [['GroupMember.Read.All'], ['Group.Read.All'], ['Directory.Read.All']] as const;
export const READ_USER_MEMBERSHIPS = [
  ['User.Read.All', 'GroupMember.Read.All'],
  ['User.Read.All', 'Group.Read.All'],
  ['Directory.Read.All'],
] as const;
export const WRITE_USERS = [['User.ReadWrite.All'], ['Directory.ReadWrite.All']] as const;
/** Delete reads the user first (to refresh the local directory by id), hence User.Read.All with DeleteRestore. */
export const DELETE_USERS = [
  ['User.DeleteRestore.All', 'User.Read.All'],
  ['User.ReadWrite.All'],
  ['Directory.ReadWrite.All'],
] as const;
export const ENABLE_DISABLE_USERS = [
  ['User.EnableDisableAccount.All', 'User.Read.All'],
  ['User.ReadWrite.All'],
  ['Directory.ReadWrite.All'],
] as const;
/**
 * Setting another user's passwordProfile app-only: User-PasswordProfile.ReadWrite.All is the least privileged
 * permission (User.ReadWrite.All alone does not cover passwords), and the app also needs a directory role such as User
 * Administrator (Privileged Authentication Administrator for admins):
 * https://learn.microsoft.com/graph/api/user-update#permissions
 */
export const RESET_PASSWORDS = [
  ['User-PasswordProfile.ReadWrite.All', 'User.Read.All'],
  ['User.ReadWrite.All'],
  ['Directory.ReadWrite.All'],
] as const;
export const WRITE_GROUP_MEMBERS = [
  ['GroupMember.ReadWrite.All'],
  ['Group.ReadWrite.All'],
  ['Directory.ReadWrite.All'],
] as const;

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
