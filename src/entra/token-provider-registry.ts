import type { EntraSettings } from '../connections/entra-id/entra-settings.js';
import { TokenProvider, type TokenProviderOptions } from './token-provider.js';

/**
 * One TokenProvider per connection id, for the composition root: every Graph client of a connection shares one
 * token and one in-flight request. Giving newer settings (a changed credentialVersion) rebuilds the provider's
 * msal application in place, so holders of the provider see the new credentials.
 */
export class TokenProviderRegistry {
  readonly #providers = new Map<string, TokenProvider>();
  readonly #options: TokenProviderOptions;
  readonly #counts = { requests: 0, failures: 0 };

  constructor(options: TokenProviderOptions) {
    this.#options = {
      ...options,
      onTokenEvent: (event) => {
        this.#counts.requests++;
        if (!event.ok) this.#counts.failures++;
        options.onTokenEvent?.(event);
      },
    };
  }

  /** Token requests sent to Entra ID by this process's providers, and how many were refused (for /metrics). */
  stats(): { requests: number; failures: number } {
    return { ...this.#counts };
  }

  /** The provider of `settings.connectionId`, created on first use and updated to `settings`. */
  forSettings(settings: EntraSettings): TokenProvider {
    const existing = this.#providers.get(settings.connectionId);
    if (existing) {
      existing.update(settings);
      return existing;
    }
    const provider = new TokenProvider(settings, this.#options);
    this.#providers.set(settings.connectionId, provider);
    return provider;
  }

  /** Forgets a connection (removed, or its credentials changed and the caller wants no stale token kept). */
  forget(connectionId: string): void {
    this.#providers.delete(connectionId);
  }
}
