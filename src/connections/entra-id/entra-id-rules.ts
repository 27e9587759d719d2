import { AppError } from '../../core/errors.js';
import type { ValidatedValue, ValidationContext } from '../connection-type.js';
import { assertNotPlaceholder } from '../placeholder.js';
import { parseClientCertificate } from './client-certificate.js';
import { CLOUD_NAMES } from './clouds.js';

/** Validators of the EntraID parameters (product.md section 3). Each throws an AppError naming the key. */

export const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;
const MULTI_TENANT_ALIASES = ['common', 'organizations', 'consumers'];
const DAY_MS = 86_400_000;
const EXPIRY_WARNING_DAYS = 30;

export const HINTS = {
  TenantID: 'Overview page of your App Registration: "Directory (tenant) ID"',
  ClientID: 'Overview page of your App Registration: "Application (client) ID"',
  ClientSecret: 'the Value (not the Secret ID) of a client secret under "Certificates & secrets"',
  ClientCertificate:
    'PEM with the certificate uploaded under "Certificates & secrets" > Certificates and its private key',
  Cloud: `the national cloud the tenant lives in: ${CLOUD_NAMES.join(', ')} (default Global)`,
  AuthorityHost: 'only for private clouds or the gatehouse emulator: https://host[:port] (http only on loopback)',
  GraphEndpoint: 'only for private clouds or the gatehouse emulator: https://host[:port] (http only on loopback)',
  SecretExpiresOn: 'the "Expires" date of the client secret under "Certificates & secrets", e.g. 2027-03-16',
} as const;

function invalid(key: keyof typeof HINTS, message: string, details: Record<string, unknown> = {}): AppError {
  return new AppError('CONNECTION_INVALID_PARAMETER', {
    message,
    hint: `Copy ${key} from the ${HINTS[key]}.`,
    details: { key, ...details },
  });
}

export function validateTenantId(value: string): ValidatedValue {
  assertNotPlaceholder('TenantID', value, HINTS.TenantID);
  if (MULTI_TENANT_ALIASES.includes(value.toLowerCase())) {
    throw invalid(
      'TenantID',
      `TenantID '${value}' is a multi-tenant alias; app-only tokens need the tenant's own ID or verified domain.`,
    );
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || value.includes('/')) {
    throw invalid('TenantID', 'TenantID is a URL or path; give only the tenant ID (a GUID) or a verified domain.');
  }
  if (/\s/.test(value)) throw invalid('TenantID', 'TenantID contains spaces.');
  if (GUID.test(value)) return { value: value.toLowerCase() };
  if (DOMAIN.test(value)) return { value: value.toLowerCase() };
  throw invalid('TenantID', `TenantID '${value}' is neither a GUID nor a domain name like contoso.onmicrosoft.com.`);
}

export function validateClientId(value: string): ValidatedValue {
  assertNotPlaceholder('ClientID', value, HINTS.ClientID);
  if (!GUID.test(value)) throw invalid('ClientID', 'ClientID must be a GUID (the Application (client) ID).');
  return { value: value.toLowerCase() };
}

export function validateClientSecret(value: string, context: ValidationContext): ValidatedValue {
  assertNotPlaceholder('ClientSecret', value, HINTS.ClientSecret);
  if (value === '') throw invalid('ClientSecret', 'ClientSecret is empty.');
  if (GUID.test(value) && !context.allowGuidSecret) {
    throw new AppError('CONNECTION_SECRET_LOOKS_LIKE_SECRET_ID', { details: { key: 'ClientSecret' } });
  }
  return { value };
}

export function validateClientCertificate(value: string, context: ValidationContext): ValidatedValue {
  assertNotPlaceholder('ClientCertificate', value, HINTS.ClientCertificate);
  const parsed = parseClientCertificate(value);
  const daysLeft = Math.floor((parsed.notAfter.getTime() - context.now.getTime()) / DAY_MS);
  const warnings =
    daysLeft < 0
      ? [`The certificate expired on ${parsed.notAfter.toISOString()}.`]
      : daysLeft <= EXPIRY_WARNING_DAYS
        ? [`The certificate expires in ${daysLeft} day(s), on ${parsed.notAfter.toISOString()}.`]
        : [];
  return {
    value: `${parsed.certificatePem}\n${parsed.privateKeyPem}\n`,
    info: {
      thumbprintSha256: parsed.thumbprintSha256,
      thumbprintSha1: parsed.thumbprintSha1,
      notAfter: parsed.notAfter.toISOString(),
      subject: parsed.subject,
    },
    warnings,
  };
}

export function validateCloud(value: string): ValidatedValue {
  const cloud = CLOUD_NAMES.find((c) => c.toLowerCase() === value.toLowerCase());
  if (!cloud) throw invalid('Cloud', `Cloud '${value}' is unknown; use one of ${CLOUD_NAMES.join(', ')}.`);
  return { value: cloud };
}

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/** https anywhere, http only on loopback, origin only (no path, query, fragment or credentials). */
export function validateOrigin(key: 'AuthorityHost' | 'GraphEndpoint', value: string): ValidatedValue {
  assertNotPlaceholder(key, value, HINTS[key]);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw invalid(key, `${key} '${value}' is not a URL.`);
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    throw invalid(key, `${key} must use https:// (http:// is allowed only on a loopback address).`);
  }
  if (url.username || url.password || url.search || url.hash || (url.pathname !== '/' && url.pathname !== '')) {
    throw invalid(key, `${key} must be an origin only (scheme, host, port), without path, query or credentials.`);
  }
  return { value: url.origin };
}

export function validateSecretExpiresOn(value: string, context: ValidationContext): ValidatedValue {
  const match = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/.exec(value);
  const date = match ? new Date(value.length === 10 ? `${value}T00:00:00Z` : value) : undefined;
  if (!date || Number.isNaN(date.getTime())) {
    throw invalid('SecretExpiresOn', `SecretExpiresOn '${value}' is not a date like 2027-03-16.`);
  }
  const daysLeft = Math.floor((date.getTime() - context.now.getTime()) / DAY_MS);
  const warnings =
    daysLeft < 0
      ? [`SecretExpiresOn ${value} is in the past: the client secret has expired.`]
      : daysLeft <= EXPIRY_WARNING_DAYS
        ? [`The client secret expires in ${daysLeft} day(s).`]
        : [];
  return { value, warnings };
}
