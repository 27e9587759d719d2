import type { Role } from './types.js';

const RANK: Record<Role, number> = { viewer: 0, operator: 1, admin: 2 };

/** The server's rule (src/accounts/roles.ts), for showing only what the signed-in role may do. */
export function roleAllows(role: Role, needed: Role): boolean {
  return RANK[role] >= RANK[needed];
}

/** "admins", "operators and admins", "everyone signed in": who may use something that needs `needed`. */
export function whoMay(needed: Role): string {
  if (needed === 'admin') return 'admins';
  if (needed === 'operator') return 'operators and admins';
  return 'everyone signed in';
}
