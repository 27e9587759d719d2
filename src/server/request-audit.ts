import type { FastifyRequest } from 'fastify';
import type { AuditEventInput } from '../audit/audit-event.js';
import type { AuditLog } from '../audit/ports.js';
import type { Logger } from '../core/logger.js';

type EventFields = Omit<AuditEventInput, 'actor' | 'origin'> & { actor?: string };

/** Who and from where, as the audit log records it: the account or token name, the UI or the API, the address. */
export function auditOrigin(request: FastifyRequest): Pick<AuditEventInput, 'actor' | 'origin'> {
  return {
    actor: request.principal?.name ?? 'anonymous',
    // The UI is the session, or a browser's same-origin call (the login itself, before there is a session).
    origin: {
      channel: request.session || request.headers['sec-fetch-site'] === 'same-origin' ? 'ui' : 'api',
      address: request.ip,
    },
  };
}

/**
 * Records a server event (login, account and token changes, connection edits). A failure to write the audit log
 * is logged and does not fail the request that was already carried out.
 */
export function createRequestAuditor(audit: AuditLog, logger: Logger) {
  return async (request: FastifyRequest, event: EventFields): Promise<void> => {
    const origin = auditOrigin(request);
    try {
      await audit.record({ ...origin, ...event, actor: event.actor ?? origin.actor });
    } catch (error) {
      logger.error({ err: error, action: event.action, requestId: request.id }, 'audit log write failed');
    }
  };
}

export type RequestAuditor = ReturnType<typeof createRequestAuditor>;
