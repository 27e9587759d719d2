import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { EmulatorRequest, EmulatorResponse } from './emulator-http.js';

export type Dispatch = (req: EmulatorRequest) => Promise<EmulatorResponse>;

/**
 * Plain node:http rather than Fastify: the emulator's hot path is serialising big delta pages, and a bare server
 * with no schema/route layers keeps the emulator from being the bottleneck of a sync benchmark.
 */
export async function listen(
  host: string,
  port: number,
  dispatch: Dispatch,
  /** Serve https with this certificate and key (PEM) instead of http. */
  tls?: { certificatePem: string; privateKeyPem: string },
): Promise<{ server: Server; port: number; close: () => Promise<void> }> {
  const scheme = tls ? 'https' : 'http';
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    void serve(req, res, dispatch, scheme);
  };
  const server: Server = tls
    ? createTlsServer({ cert: tls.certificatePem, key: tls.privateKeyPem }, handler)
    : createServer(handler);
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  return {
    server,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function serve(req: IncomingMessage, res: ServerResponse, dispatch: Dispatch, scheme: string): Promise<void> {
  try {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string | undefined> = {};
    for (const [name, value] of Object.entries(req.headers))
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    const url = new URL(req.url ?? '/', `${scheme}://${req.headers.host ?? '127.0.0.1'}`);
    const response = await dispatch({ method: req.method ?? 'GET', url, headers, body: Buffer.concat(chunks) });
    const payload = response.body === undefined ? undefined : JSON.stringify(response.body);
    res.writeHead(response.status, {
      ...response.headers,
      ...(payload === undefined ? {} : { 'content-length': Buffer.byteLength(payload) }),
    });
    res.end(payload);
  } catch (error) {
    if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
    res.end(`emulator internal error: ${error instanceof Error ? error.message : String(error)}`);
  }
}
