/** Entra object ids are GUIDs; anything else given as USER is a userPrincipalName, as GROUP a displayName. */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function isObjectId(value: string): boolean {
  return GUID.test(value);
}

/** OData string literal: single quotes are doubled (https://learn.microsoft.com/graph/query-parameters#escaping). */
export function odataString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

/** A path segment for a user: the object id or the UPN, URL-encoded (`/users/{id | userPrincipalName}`). */
export function userSegment(user: string): string {
  return encodeURIComponent(user);
}
