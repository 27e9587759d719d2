import type { ActionService } from '../actions/action-service.js';
import type { ConnectionService, DraftConnectionInput } from '../connections/connection-service.js';
import type { ConsentService } from '../consent/consent-service.js';
import type { DirectoryService } from '../directory/directory-service.js';
import type { DirectoryReader } from '../directory/ports.js';
import type { DoctorReport } from '../doctor/doctor-report.js';
import type { EventService } from '../events/event-service.js';
import type { WebhookService } from '../events/webhook-service.js';
import type { ChangeNotifications } from '../notifications/change-notifications.js';
import type { SyncService } from '../sync/sync-service.js';

/**
 * The services the routes call: routes validate input, call a service and shape its output; they never reimplement
 * one. `createServerDeps` fills these from an opened gatehouse (src/main.ts).
 */
export interface ServerServices {
  readonly connections: ConnectionService;
  testConnection(name: string): Promise<DoctorReport>;
  /** Tests an unsaved connection (the console's dialog before it saves); nothing is recorded or saved. */
  testDraft(input: DraftConnectionInput): Promise<DoctorReport>;
  /** The last finished sync run of a connection, for the connections list. */
  lastSync?(connectionName: string): Promise<{ at: string; status: string } | undefined>;
  readonly sync: Pick<SyncService, 'run' | 'status' | 'history' | 'configure' | 'events'>;
  /** Queues a sync run in the background (the scheduler's queue); absent = runs are awaited by the request. */
  enqueueSync?(name: string, options: { full?: boolean }): Promise<boolean>;
  readonly directory: Pick<DirectoryService, 'checkMembership' | 'members' | 'resolveGroup' | 'resolveUser'>;
  readonly directoryReader: Pick<DirectoryReader, 'listUsers' | 'listGroups' | 'getUser' | 'getGroup' | 'counts'>;
  readonly actions: ActionService;
  /** The admin-consent round trip (needs `serve --public-url`). */
  readonly consent?: ConsentService;
  /** Directory events (GET /api/v1/events, SSE); absent = the routes are not registered. */
  readonly events?: Pick<EventService, 'list' | 'wait' | 'follow'>;
  /** Webhooks (admin routes under /api/v1/webhooks); absent = not registered. */
  readonly webhooks?: WebhookService;
  /** Graph change notifications: the public endpoint's handshake and checks (`serve --public-url` starts them). */
  readonly notifications?: Pick<ChangeNotifications, 'receive' | 'acceptsValidation'>;
}
