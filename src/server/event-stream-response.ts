import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Opens a server-sent event stream on `reply` (https://html.spec.whatwg.org/multipage/server-sent-events.html): the
 * headers set so far (helmet's security headers, x-request-id) go out with it, a comment every 15 s keeps proxies
 * from closing it, and `onClose` runs once the client goes away. Returns a function that stops the keep-alive (for
 * a stream the server ends itself).
 */
export function openEventStream(request: FastifyRequest, reply: FastifyReply, onClose: () => void): () => void {
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
  reply.raw.write(': connected\n\n');
  const keepAlive = setInterval(() => reply.raw.write(': keep-alive\n\n'), 15_000);
  keepAlive.unref();
  const stop = () => clearInterval(keepAlive);
  request.raw.on('close', () => {
    stop();
    onClose();
  });
  return stop;
}
