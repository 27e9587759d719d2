import { AppError } from '../../core/errors.js';
import type { ValidatedValue } from '../connection-type.js';
import { assertNotPlaceholder } from '../placeholder.js';

/** Where to find the values of the secretless credential keys (product.md section 9.4, docs/credentials.md). */
export const SECRETLESS_HINTS = {
  ClientAssertionFile:
    'path of the federated token file, e.g. the AZURE_FEDERATED_TOKEN_FILE of a Kubernetes pod with azure.workload.identity/use=true (or env:AZURE_FEDERATED_TOKEN_FILE to follow that variable); the app needs a federated credential under "Certificates & secrets" > Federated credentials',
  ManagedIdentity:
    'system (the Azure host\'s system-assigned identity) or user (a user-assigned identity; ClientID is then its "Client ID" on the identity\'s Overview page)',
} as const;

/** `env:NAME`: the path is read from that environment variable at every token request (it may change on a pod). */
export const ENV_REFERENCE = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;
const WINDOWS_ABSOLUTE = /^[A-Za-z]:[\\/]/;

function invalid(key: keyof typeof SECRETLESS_HINTS, message: string): AppError {
  return new AppError('CONNECTION_INVALID_PARAMETER', {
    message,
    hint: `${key}: ${SECRETLESS_HINTS[key]}.`,
    details: { key },
  });
}

/**
 * ClientAssertionFile: an absolute path (or `env:NAME`). The file itself is read at every token request, never
 * here: it may exist only on the host that runs gatehouse, and its token rotates.
 */
export function validateClientAssertionFile(value: string): ValidatedValue {
  assertNotPlaceholder('ClientAssertionFile', value, SECRETLESS_HINTS.ClientAssertionFile);
  if (ENV_REFERENCE.test(value)) return { value };
  if (value.startsWith('eyJ')) {
    throw invalid(
      'ClientAssertionFile',
      'ClientAssertionFile looks like a token itself; give the path of the file that holds it (the token rotates, the path does not).',
    );
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw invalid('ClientAssertionFile', 'ClientAssertionFile is a URL; give the path of a local file.');
  }
  if (value.includes('\0')) throw invalid('ClientAssertionFile', 'ClientAssertionFile contains a NUL character.');
  if (!value.startsWith('/') && !WINDOWS_ABSOLUTE.test(value)) {
    throw invalid('ClientAssertionFile', `ClientAssertionFile '${value}' is not an absolute path.`);
  }
  if (/[\\/]$/.test(value)) throw invalid('ClientAssertionFile', `ClientAssertionFile '${value}' names a directory.`);
  return { value };
}

/** ManagedIdentity: `system` or `user`, stored in lower case. */
export function validateManagedIdentity(value: string): ValidatedValue {
  const lower = value.toLowerCase();
  if (lower === 'system' || lower === 'user') return { value: lower };
  throw invalid('ManagedIdentity', `ManagedIdentity '${value}' is neither system nor user.`);
}
