import { AppError } from '../../core/errors.js';

/**
 * How an EntraID connection proves who it is (product.md sections 3 and 9.4): exactly one of these keys is set.
 * Secretless kinds come last: a federated token file (workload identity federation) or the Azure host's managed
 * identity.
 */
export const CREDENTIAL_KEYS = ['ClientSecret', 'ClientCertificate', 'ClientAssertionFile', 'ManagedIdentity'] as const;
export type CredentialKey = (typeof CREDENTIAL_KEYS)[number];

export type CredentialKind = 'secret' | 'certificate' | 'assertionFile' | 'managedIdentity';

export const CREDENTIAL_KIND_OF_KEY: Readonly<Record<CredentialKey, CredentialKind>> = {
  ClientSecret: 'secret',
  ClientCertificate: 'certificate',
  ClientAssertionFile: 'assertionFile',
  ManagedIdentity: 'managedIdentity',
};

/** The credential kind of a set of parameter keys, when exactly one credential key is among them. */
export function credentialKindOf(keys: ReadonlySet<string>): CredentialKind | undefined {
  const present = CREDENTIAL_KEYS.filter((key) => keys.has(key));
  return present.length === 1 ? CREDENTIAL_KIND_OF_KEY[present[0] as CredentialKey] : undefined;
}

/** Exactly one credential key: none is CONNECTION_MISSING_PARAMETER, several are CONNECTION_INVALID_PARAMETER. */
export function assertOneCredential(keys: ReadonlySet<string>, secretHint: string): void {
  const present = CREDENTIAL_KEYS.filter((key) => keys.has(key));
  if (present.length === 0) {
    throw new AppError('CONNECTION_MISSING_PARAMETER', {
      message: `An EntraID connection needs one credential: ClientSecret (${secretHint}), ClientCertificate, ClientAssertionFile or ManagedIdentity.`,
      hint: 'Add exactly one of them; docs/credentials.md helps choose (a managed identity or a federated token file need no secret at all).',
      details: { key: 'ClientSecret', oneOf: [...CREDENTIAL_KEYS] },
    });
  }
  if (present.length > 1) {
    throw new AppError('CONNECTION_INVALID_PARAMETER', {
      message: `Give exactly one credential, not ${present.join(' and ')}.`,
      hint: `Remove all but one of them (\`gatehouse connections update NAME --unset ${present[0]}\`).`,
      details: { key: present[1], oneOf: [...CREDENTIAL_KEYS], present },
    });
  }
}
