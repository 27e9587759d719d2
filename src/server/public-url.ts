import { AppError } from '../core/errors.js';

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * The URL under which administrators' browsers (and Microsoft's redirects) reach this gatehouse server
 * (`--public-url`): https, or http on a loopback address for local use; no query, fragment or credentials. Returned
 * without a trailing slash, so `${publicUrl}/consent/callback` is the redirect URI to register on the app.
 */
export function parsePublicUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    throw invalid(value, 'is not a URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.test(url.hostname))) {
    throw invalid(value, 'must use https:// (http:// only on a loopback address)');
  }
  if (url.username || url.password || url.search || url.hash) {
    throw invalid(value, 'must not carry credentials, a query or a fragment');
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

/** The redirect URI of the admin-consent round trip for a public URL. */
export function consentRedirectUri(publicUrl: string): string {
  return `${publicUrl}/consent/callback`;
}

function invalid(value: string, why: string): AppError {
  return new AppError('USAGE_ERROR', {
    message: `--public-url '${value}' ${why}.`,
    hint: 'Give the https address browsers use to reach gatehouse, e.g. --public-url https://gatehouse.example.com (behind a reverse proxy that terminates TLS).',
    details: { option: 'public-url' },
  });
}
