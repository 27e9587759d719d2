/**
 * The gatehouse library: open a gatehouse in your own process and use its services.
 *
 * @example
 *   import { openGatehouse } from 'gatehouse';
 *   const gatehouse = await openGatehouse({ dataDir: '/var/lib/gatehouse' });
 *   const connections = await gatehouse.connections.list();
 *   await gatehouse.close();
 */

export { type CliIo, runCli } from './cli/main.js';
export type { Connection, StoredParameter } from './connections/connection.js';
export type { ConnectionChange, ConnectionService } from './connections/connection-service.js';
export type { ConnectionView } from './connections/connection-view.js';
export type { EntraSettings } from './connections/entra-id/entra-settings.js';
export { type Clock, createManualClock, systemClock } from './core/clock.js';
export { ERROR_CATALOGUE } from './core/error-catalogue.js';
export { AppError, type ErrorCode, isAppError } from './core/errors.js';
export type { Logger } from './core/logger.js';
export { Secret } from './core/secret.js';
export { createLogger } from './logging/create-logger.js';
export { type Gatehouse, type GatehouseOptions, openGatehouse } from './main.js';
