import type { Connection, ConnectionTokenState } from '../connections/connection.js';
import { toAppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { TokenEvent } from './token-provider.js';

/** Where token facts are kept (ConnectionService implements it). */
export interface TokenStateStore {
  get(nameOrId: string): Promise<Connection>;
  recordTokenState(nameOrId: string, state: ConnectionTokenState): Promise<void>;
}

/**
 * Turns token events into the connection's token state (`connections show`: last token obtained, expires at, last
 * error). A success clears the last error; a failure keeps the last good token's facts. Recording never fails the
 * caller that needed the token: problems are logged.
 */
export function createTokenStateRecorder(store: TokenStateStore, logger: Logger): (event: TokenEvent) => void {
  return (event) => {
    void record(store, event).catch((error: unknown) => {
      logger.debug({ connectionId: event.connectionId, code: toAppError(error).code }, 'token state not recorded');
    });
  };
}

async function record(store: TokenStateStore, event: TokenEvent): Promise<void> {
  if (event.ok) {
    await store.recordTokenState(event.connectionId, {
      acquiredAt: event.obtainedAt.toISOString(),
      expiresAt: event.expiresAt.toISOString(),
      ...(event.roles ? { roles: [...event.roles] } : {}),
    });
    return;
  }
  const previous = (await store.get(event.connectionId)).tokenState ?? {};
  await store.recordTokenState(event.connectionId, {
    ...previous,
    lastErrorCode: event.error.code,
    lastErrorAt: event.at.toISOString(),
  });
}
