import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import type { DirectoryEvent } from '../../src/events/event-model.js';

/** A receiver that verifies every delivery with the standardwebhooks package, as a customer's would. */
export class Receiver {
  readonly received: { id: string; event: DirectoryEvent & { type: string } }[] = [];
  /** Answer with this status (503 = down). */
  status = 200;
  secret = '';
  rejected = 0;
  private server: Server | undefined;
  url = '';

  async start(): Promise<void> {
    this.server = createServer(async (req: IncomingMessage, res) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks).toString('utf8');
      if (this.status !== 200) {
        res.writeHead(this.status).end();
        return;
      }
      try {
        const event = new Webhook(this.secret).verify(body, req.headers as Record<string, string>) as DirectoryEvent;
        this.received.push({ id: String(req.headers['webhook-id']), event });
        res.writeHead(204).end();
      } catch {
        this.rejected++;
        res.writeHead(401).end();
      }
    });
    const server = this.server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server?.closeAllConnections();
      this.server?.close(() => resolve());
    });
  }
}

export async function until(check: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
