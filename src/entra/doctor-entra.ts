import type { EntraSettings } from '../connections/entra-id/entra-settings.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../core/logger.js';
import type { DoctorEntra } from '../doctor/ports.js';
import { createCredentialClient } from './credential-client.js';
import { createGraphClient } from './graph-client.js';
import type { AccessToken } from './token-provider.js';

export interface DoctorEntraOptions {
  readonly clock: Clock;
  readonly logger: Logger;
  /** Token and Graph request timeout for a test (default 10 000 ms): an administrator is waiting. */
  readonly timeoutMs?: number;
}

/**
 * The doctor's view of Entra: each test gets a FRESH msal application (no cached token, no client-side throttle
 * entry from an earlier 429/5xx, facts A.5), and Graph probes send exactly that token, with at most one retry.
 */
export function createDoctorEntra(options: DoctorEntraOptions): DoctorEntra {
  const timeoutMs = options.timeoutMs ?? 10_000;
  return {
    acquireFreshToken(settings: EntraSettings): Promise<AccessToken> {
      return createCredentialClient(settings, { logger: options.logger, timeoutMs }).acquire();
    },
    graphFor(settings, accessToken) {
      return createGraphClient({
        settings,
        tokenSource: { getAccessToken: async () => accessToken, invalidate: () => {} },
        clock: options.clock,
        logger: options.logger,
        timeoutMs,
        retry: { maxAttempts: 2, maxDelayMs: 5_000 },
      });
    },
  };
}
