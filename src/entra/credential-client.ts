import type { EntraSettings } from '../connections/entra-id/entra-settings.js';
import type { Logger } from '../core/logger.js';
import { createManagedIdentityClient } from './managed-identity-client.js';
import { createMsalClientApplication } from './msal-client-application.js';
import { type AccessToken, acquireToken } from './token-provider.js';

/** One connection's way to a Graph token, whatever its credential kind. */
export interface CredentialClient {
  /** A new token (never msal's cache); throws AppError with an ENTRA_* code. */
  acquire(): Promise<AccessToken>;
}

export interface CredentialClientOptions {
  readonly logger: Logger;
  /** Token request timeout (default 10 000 ms). */
  readonly timeoutMs?: number;
}

/**
 * msal's ConfidentialClientApplication for a secret, a certificate or a federated token file; its
 * ManagedIdentityApplication for a managed identity (product.md sections 3 and 9.4).
 */
export function createCredentialClient(settings: EntraSettings, options: CredentialClientOptions): CredentialClient {
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  if (settings.credential.kind === 'managedIdentity') {
    return createManagedIdentityClient(settings, { logger: options.logger, ...timeout });
  }
  const client = createMsalClientApplication(settings, { logger: options.logger, ...timeout });
  return { acquire: () => acquireToken(client, settings) };
}
