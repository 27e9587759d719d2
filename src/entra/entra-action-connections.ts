import type { ActionConnection, ActionConnections } from '../actions/ports.js';
import type { EntraSettings } from '../connections/entra-id/entra-settings.js';
import { parseGraphWritePaths } from '../connections/entra-id/graph-paths.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import { createGraphClient } from './graph-client.js';
import { decodeTokenClaims } from './token-claims.js';
import type { TokenProviderRegistry } from './token-provider-registry.js';

export interface EntraActionConnectionsOptions {
  /** The connection service's `resolveEntraSettings` (throws CONNECTION_NOT_FOUND for an unknown name). */
  readonly resolveSettings: (nameOrId: string) => Promise<EntraSettings>;
  /** Shared with the rest of gatehouse, so actions reuse the connection's cached token. */
  readonly tokens: TokenProviderRegistry;
  readonly clock: Clock;
  readonly logger: Logger;
}

/**
 * The actions' view of a connection: a Graph client on the connection's shared token provider, and the roles of
 * that token (decoded for diagnostics only, to explain a 403).
 */
export function createEntraActionConnections(options: EntraActionConnectionsOptions): ActionConnections {
  return {
    async open(connectionName: string): Promise<ActionConnection> {
      const settings = await options.resolveSettings(connectionName);
      const tokenSource = options.tokens.forSettings(settings);
      const graph = createGraphClient({
        settings,
        tokenSource,
        clock: options.clock,
        logger: options.logger.child({ connection: settings.connectionName }),
      });
      return {
        id: settings.connectionId,
        name: settings.connectionName,
        graph,
        graphEndpoint: settings.graphEndpoint,
        graphWritePaths: settings.graphWritePaths ? parseGraphWritePaths(settings.graphWritePaths) : [],
        sleep: (ms) => options.clock.sleep(ms),
        async grantedRoles() {
          return decodeTokenClaims(await tokenSource.getAccessToken())?.roles;
        },
      };
    },
  };
}
