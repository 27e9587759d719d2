import type { ConnectionType, ValidatedValue } from '../connection-type.js';
import { assertOneCredential } from './credential-kind.js';
import {
  HINTS,
  validateClientCertificate,
  validateClientId,
  validateClientSecret,
  validateCloud,
  validateOrigin,
  validateSecretExpiresOn,
  validateTenantId,
} from './entra-id-rules.js';
import { parseGraphWritePaths } from './graph-paths.js';
import { SECRETLESS_HINTS, validateClientAssertionFile, validateManagedIdentity } from './secretless-rules.js';

/** The EntraID connection type (product.md section 3): client-credentials access to one Entra ID tenant. */
export const entraIdType: ConnectionType = {
  name: 'EntraID',
  description:
    'Microsoft Entra ID app registration (client credentials: secret, certificate, federated token file or managed identity)',
  parameters: [
    {
      key: 'TenantID',
      label: 'Directory (tenant) ID',
      required: true,
      secret: false,
      hint: HINTS.TenantID,
      validate: validateTenantId,
    },
    {
      key: 'ClientID',
      label: 'Application (client) ID',
      required: true,
      secret: false,
      hint: HINTS.ClientID,
      validate: validateClientId,
    },
    {
      key: 'ClientSecret',
      label: 'Client secret Value',
      required: false,
      secret: true,
      hint: HINTS.ClientSecret,
      validate: validateClientSecret,
    },
    {
      key: 'ClientCertificate',
      label: 'Client certificate (PEM)',
      required: false,
      secret: true,
      hint: HINTS.ClientCertificate,
      validate: validateClientCertificate,
    },
    {
      key: 'ClientAssertionFile',
      label: 'Federated token file (workload identity federation)',
      required: false,
      secret: false,
      hint: SECRETLESS_HINTS.ClientAssertionFile,
      validate: validateClientAssertionFile,
    },
    {
      key: 'ManagedIdentity',
      label: 'Managed identity (system or user)',
      required: false,
      secret: false,
      hint: SECRETLESS_HINTS.ManagedIdentity,
      validate: validateManagedIdentity,
    },
    {
      key: 'Cloud',
      label: 'National cloud',
      required: false,
      secret: false,
      hint: HINTS.Cloud,
      validate: validateCloud,
    },
    {
      key: 'AuthorityHost',
      label: 'Login host override',
      required: false,
      secret: false,
      hint: HINTS.AuthorityHost,
      validate: (v) => validateOrigin('AuthorityHost', v),
    },
    {
      key: 'GraphEndpoint',
      label: 'Graph host override',
      required: false,
      secret: false,
      hint: HINTS.GraphEndpoint,
      validate: (v) => validateOrigin('GraphEndpoint', v),
    },
    {
      key: 'GraphWritePaths',
      label: 'Graph writes graph.request may send',
      required: false,
      secret: false,
      hint: 'admin-chosen writes operators may send with graph.request, e.g. POST /users/*/revokeSignInSessions; PATCH /users/* (default none)',
      validate: validateGraphWritePaths,
    },
    {
      key: 'SecretExpiresOn',
      label: 'Secret expires on',
      required: false,
      secret: false,
      hint: HINTS.SecretExpiresOn,
      validate: validateSecretExpiresOn,
    },
  ],
  validateKeys(keys) {
    // Exactly one credential kind per connection (product.md section 9.4).
    assertOneCredential(keys, HINTS.ClientSecret);
  },
};

/** GraphWritePaths: each entry parsed (refused with the entry named), stored in canonical spelling. */
function validateGraphWritePaths(value: string): ValidatedValue {
  return {
    value: parseGraphWritePaths(value)
      .map((p) => p.text)
      .join('; '),
  };
}
