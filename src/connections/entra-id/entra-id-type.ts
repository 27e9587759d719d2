import { AppError } from '../../core/errors.js';
import type { ConnectionType } from '../connection-type.js';
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

/** The EntraID connection type (product.md section 3): client-credentials access to one Entra ID tenant. */
export const entraIdType: ConnectionType = {
  name: 'EntraID',
  description: 'Microsoft Entra ID app registration (client credentials: secret or certificate)',
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
      key: 'SecretExpiresOn',
      label: 'Secret expires on',
      required: false,
      secret: false,
      hint: HINTS.SecretExpiresOn,
      validate: validateSecretExpiresOn,
    },
  ],
  validateKeys(keys) {
    const hasSecret = keys.has('ClientSecret');
    const hasCertificate = keys.has('ClientCertificate');
    if (!hasSecret && !hasCertificate) {
      throw new AppError('CONNECTION_MISSING_PARAMETER', {
        message: `An EntraID connection needs ClientSecret (${HINTS.ClientSecret}) or ClientCertificate.`,
        details: { key: 'ClientSecret', oneOf: ['ClientSecret', 'ClientCertificate'] },
      });
    }
    if (hasSecret && hasCertificate) {
      throw new AppError('CONNECTION_INVALID_PARAMETER', {
        message: 'Give either ClientSecret or ClientCertificate, not both.',
        hint: 'Remove one of them (`gatehouse connections update NAME --unset ClientSecret`).',
        details: { key: 'ClientCertificate', oneOf: ['ClientSecret', 'ClientCertificate'] },
      });
    }
  },
};
