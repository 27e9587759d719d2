import type { EventEmitter } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { openEventStream } from './event-stream-response.js';

/**
 * Server-sent events for one connection's sync runs: `progress` while pages arrive, `finished` with the report.
 * The stream stays open until the client goes away (`openEventStream`).
 */
export function streamSyncEvents(request: FastifyRequest, reply: FastifyReply, events: EventEmitter, name: string) {
  const wanted = name.trim().toLowerCase();
  const matches = (payload: { connection?: string }) => payload.connection?.toLowerCase() === wanted;
  const send = (event: string) => (payload: { connection?: string }) => {
    if (matches(payload)) reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
  };
  const onProgress = send('progress');
  const onFinished = send('finished');
  events.on('progress', onProgress);
  events.on('finished', onFinished);
  openEventStream(request, reply, () => {
    events.off('progress', onProgress);
    events.off('finished', onFinished);
  });
}
