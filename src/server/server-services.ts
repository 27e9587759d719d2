import type { ConnectionService } from '../connections/connection-service.js';
import type { DoctorReport } from '../doctor/doctor-report.js';

/**
 * The services the routes call, as narrow ports: routes validate input, call a service and shape its output; they
 * never reimplement one. `createServerDeps` fills these from an opened gatehouse (src/main.ts).
 */
export interface ServerServices {
  readonly connections: ConnectionService;
  testConnection(name: string): Promise<DoctorReport>;
  /** The last finished sync run of a connection, for the connections list. */
  lastSync?(connectionId: string): Promise<{ at: string; status: string } | undefined>;
}
