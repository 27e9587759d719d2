import { aadsts } from './aadsts-error.js';

/** The emulated tenant: its id and verified domains (the first is the `.onmicrosoft.com` initial domain). */
export interface TenantIdentity {
  readonly id: string;
  /** The initial domain, e.g. `contoso.onmicrosoft.com`: UPNs are created on it. */
  readonly domain: string;
  readonly verifiedDomains: readonly string[];
  readonly displayName: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

export function isGuid(value: string): boolean {
  return GUID.test(value);
}

/**
 * Resolves the `{tenant}` path segment of a login URL the way Entra does: the tenant GUID or a verified domain, in
 * any case. `common`/`organizations`/`consumers` carry no tenant for client credentials; a GUID or DNS name that
 * is not this tenant is 90002; anything else (placeholders, `undefined`, spaces) is 900023.
 */
export function resolveTenantSegment(segment: string, tenant: TenantIdentity): void {
  const value = decodeURIComponent(segment);
  const lower = value.toLowerCase();
  if (lower === 'common' || lower === 'organizations' || lower === 'consumers') throw aadsts.noTenant();
  if (isGuid(value)) {
    if (lower !== tenant.id.toLowerCase()) throw aadsts.tenantNotFound(value);
    return;
  }
  if (DNS_NAME.test(value)) {
    if (!tenant.verifiedDomains.some((d) => d.toLowerCase() === lower)) throw aadsts.tenantNotFound(value);
    return;
  }
  throw aadsts.malformedTenant(value);
}

/** Does a tenant segment (from a URL inside a client assertion's `aud`) name this tenant? */
export function namesTenant(segment: string, tenant: TenantIdentity): boolean {
  const lower = decodeURIComponent(segment).toLowerCase();
  return lower === tenant.id.toLowerCase() || tenant.verifiedDomains.some((d) => d.toLowerCase() === lower);
}

/**
 * Microsoft Graph's resource identifiers in every cloud (facts D.1) plus its app id: the accepted `.default` scopes
 * and the audiences Graph accepts on a bearer token.
 */
export const GRAPH_RESOURCES: readonly string[] = [
  'https://graph.microsoft.com',
  'https://graph.microsoft.us',
  'https://dod-graph.microsoft.us',
  'https://microsoftgraph.chinacloudapi.cn',
  '00000003-0000-0000-c000-000000000000',
];

/** Login hosts whose token-endpoint URL a client assertion may name as `aud` (msal keeps the real authority). */
export const LOGIN_HOSTS: readonly string[] = [
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.partner.microsoftonline.cn',
  'login.chinacloudapi.cn',
  'login.windows.net',
  'sts.windows.net',
];
