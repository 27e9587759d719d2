/**
 * The three roles of gatehouse (product.md section 2, issue 7). Each includes the ones below it:
 * `admin` (everything) > `operator` (run syncs and actions, test connections, read) > `viewer` (read only).
 */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export function isRole(value: string): value is Role {
  return (ROLES as readonly string[]).includes(value);
}

/** True when a principal holding `held` may do what needs `required`. */
export function roleAllows(held: Role, required: Role): boolean {
  return ROLES.indexOf(held) >= ROLES.indexOf(required);
}
