/** The directory event types of product.md section 9.2, in catalogue order (docs/events.md). */
export const EVENT_TYPES = [
  'user.created',
  'user.updated',
  'user.disabled',
  'user.enabled',
  'user.deleted',
  'user.restored',
  'user.purged',
  'group.created',
  'group.updated',
  'group.deleted',
  'membership.added',
  'membership.removed',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** `webhooks test` sends this one; it is never stored in the outbox. */
export const PING_TYPE = 'webhook.ping';

/**
 * One directory event as every surface shows it (CLI JSON lines, REST, SSE, webhook bodies). `id` is the event's
 * cursor: a decimal number, gapless and ordered per connection (`events list --after ID`).
 */
export interface DirectoryEvent {
  readonly id: string;
  readonly type: EventType;
  readonly connection: string;
  readonly occurredAt: string;
  readonly source: 'sync' | 'action';
  readonly runId?: string;
  readonly data: Record<string, unknown>;
}

export function isEventType(value: string): value is EventType {
  return (EVENT_TYPES as readonly string[]).includes(value);
}

/** The group an event is about (group and membership events), for `--group` filters. */
export function eventGroupId(type: string, data: Record<string, unknown>): string | undefined {
  if (type.startsWith('membership.')) return typeof data.groupId === 'string' ? data.groupId : undefined;
  if (type.startsWith('group.')) {
    const group = data.group as { id?: unknown } | undefined;
    return typeof group?.id === 'string' ? group.id : undefined;
  }
  return undefined;
}
