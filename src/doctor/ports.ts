import type {
  Connection,
  ConnectionTestSummary,
  ConnectionTokenState,
  StoredParameter,
} from '../connections/connection.js';
import type { ConnectionTypeRegistry } from '../connections/connection-types.js';
import type { EntraSettings } from '../connections/entra-id/entra-settings.js';
import type { GraphApi } from '../entra/graph-api.js';
import type { AccessToken } from '../entra/token-provider.js';

/** What the doctor needs of the connections module (ConnectionService implements it). */
export interface DoctorConnections {
  readonly types: ConnectionTypeRegistry;
  get(nameOrId: string): Promise<Connection>;
  resolveEntraSettings(nameOrId: string): Promise<EntraSettings>;
  /** The settings of a connection object that is not saved (a draft under test). */
  resolveSettingsOf(connection: Connection): Promise<EntraSettings>;
  revealParameter(connection: Pick<Connection, 'id' | 'name' | 'parameters'>, parameter: StoredParameter): string;
  recordTestResult(nameOrId: string, result: ConnectionTestSummary): Promise<void>;
  recordTokenState(nameOrId: string, state: ConnectionTokenState): Promise<void>;
}

/** What the doctor needs of the Entra adapter. */
export interface DoctorEntra {
  /**
   * A token from a FRESH msal client application: the connection's cached token (and msal's client-side throttle
   * cache, facts A.5) must not hide what Entra answers now. Throws AppError with an ENTRA_* code.
   */
  acquireFreshToken(settings: EntraSettings): Promise<AccessToken>;
  /** A Graph client for the probes that sends this token (no retries worth waiting for in a test). */
  graphFor(settings: EntraSettings, accessToken: string): GraphApi;
}
