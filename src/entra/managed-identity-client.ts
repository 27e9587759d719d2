import { LogLevel, ManagedIdentityApplication } from '@azure/msal-node';
import { CLOUDS } from '../connections/entra-id/clouds.js';
import type { EntraSettings } from '../connections/entra-id/entra-settings.js';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { CredentialClient } from './credential-client.js';
import { mapManagedIdentityError } from './managed-identity-error-map.js';
import {
  type ManagedIdentityCall,
  managedIdentityNetwork,
  withManagedIdentityCall,
} from './managed-identity-network.js';
import type { AccessToken } from './token-provider.js';

export interface ManagedIdentityClientOptions {
  readonly logger: Logger;
  /** Deadline of one acquisition, msal's retries included (default 10 000 ms). */
  readonly timeoutMs?: number;
}

/**
 * Tokens from the Azure host's managed identity through msal-node's ManagedIdentityApplication (product.md 9.4,
 * facts H.4). msal picks the source from the environment (App Service's IDENTITY_ENDPOINT + IDENTITY_HEADER, …,
 * else IMDS, which AZURE_POD_IDENTITY_AUTHORITY_HOST redirects) once per process. Every call asks the endpoint
 * (`forceRefresh`): the token provider caches, on its own clock.
 */
export function createManagedIdentityClient(
  settings: EntraSettings,
  options: ManagedIdentityClientOptions,
): CredentialClient {
  const credential = settings.credential;
  if (credential.kind !== 'managedIdentity') throw new Error('not a managed-identity connection');
  const timeoutMs = options.timeoutMs ?? 10_000;
  const app = new ManagedIdentityApplication({
    ...(credential.identity === 'user' ? { managedIdentityIdParams: { userAssignedClientId: settings.clientId } } : {}),
    system: {
      networkClient: managedIdentityNetwork,
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        loggerCallback: (_level, message) => options.logger.debug({ component: 'msal', msal: message }),
      },
    },
  });
  // The resource is the cloud's Graph (its `.default` scope without the suffix), as for the secret kinds.
  const resource = CLOUDS[settings.cloud].graphEndpoint;
  return {
    async acquire(): Promise<AccessToken> {
      const requestedAt = new Date();
      const call: ManagedIdentityCall = { deadlineMs: Date.now() + timeoutMs, timeoutMs, requests: 0 };
      const context = {
        connectionName: settings.connectionName,
        identity: credential.identity,
        clientId: settings.clientId,
        source: app.getManagedIdentitySource(),
      };
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => {
          call.failure ??= { kind: 'unreachable', origin: call.origin ?? '', reason: 'deadline', timedOut: true };
          reject(new Error('deadline'));
        }, timeoutMs + 50);
      });
      try {
        const result = await Promise.race([
          withManagedIdentityCall(call, () => app.acquireToken({ resource, forceRefresh: true })),
          deadline,
        ]);
        if (!result.accessToken) {
          throw new AppError('ENTRA_MANAGED_IDENTITY_ERROR', {
            message: `The managed-identity endpoint answered connection '${settings.connectionName}' without an access token.`,
            details: { source: context.source },
          });
        }
        return {
          accessToken: result.accessToken,
          obtainedAt: requestedAt,
          expiresAt: result.expiresOn ?? new Date(requestedAt.getTime() + 3_599_000),
        };
      } catch (error) {
        throw mapManagedIdentityError(error, call, context);
      } finally {
        clearTimeout(timer);
      }
    },
  };
}
