import type { EventEmitter } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Server-sent events for one connection's sync runs: `progress` while pages arrive, `finished` with the report.
 * The stream stays open (with a comment every 15 s so proxies keep it) until the client goes away.
 * https://html.spec.whatwg.org/multipage/server-sent-events.html
 */
export function streamSyncEvents(request: FastifyRequest, reply: FastifyReply, events: EventEmitter, name: string) {
  const wanted = name.trim().toLowerCase();
  const matches = (payload: { connection?: string }) => payload.connection?.toLowerCase() === wanted;
  // Headers set so far (helmet's security headers, x-request-id) go out with the stream.
  for (const [key, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) reply.raw.setHeader(key, value as string);
  }
  reply.hijack();
  reply.raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-store',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
  });
  const send = (event: string) => (payload: { connection?: string }) => {
    if (matches(payload)) reply.raw.write(`event: ${event}\ndata: ${JSON.stringify(payload)}\n\n`);
  };
  const onProgress = send('progress');
  const onFinished = send('finished');
  events.on('progress', onProgress);
  events.on('finished', onFinished);
  reply.raw.write(': connected\n\n');
  const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
  keepAlive.unref();
  request.raw.on('close', () => {
    clearInterval(keepAlive);
    events.off('progress', onProgress);
    events.off('finished', onFinished);
  });
}
