// Child process of bench/emulator.ts: serves one fixed delta page with bare node:http or with Fastify, and reports
// its own CPU time at GET /cpu, so the comparison measures the server's cost per page, not the client's.
//   node --import tsx bench/emulator-transport.ts http|fastify <page-file>
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify from 'fastify';

const [kind, file] = process.argv.slice(2);
const page = readFileSync(String(file), 'utf8');
const cpu = () => {
  const u = process.cpuUsage();
  return JSON.stringify({ cpuMicros: u.user + u.system });
};
let port: number;
if (kind === 'fastify') {
  const app = Fastify();
  app.get('/cpu', async (_req, reply) => reply.type('application/json').send(cpu()));
  app.get('/page', async (_req, reply) => reply.type('application/json').send(page));
  await app.listen({ port: 0, host: '127.0.0.1' });
  port = (app.server.address() as AddressInfo).port;
} else {
  const server = createServer((req, res) => {
    const body = req.url === '/cpu' ? cpu() : page;
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
    res.end(body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
}
process.stdout.write(`${port}\n`);
