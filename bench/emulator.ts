// Emulator benchmark: build time and memory of a big tenant, and delta/list pages served per second.
//   node --import tsx bench/emulator.ts [--users 1000000] [--groups 50000] [--seconds 20]
// The emulator runs as its own process (src/emulator/main.ts); this process is the client (fetch + JSON.parse),
// walking rounds sequentially as gatehouse's sync does. Prints one JSON object with the figures.
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import Fastify from 'fastify';

const { values } = parseArgs({
  options: {
    users: { type: 'string', default: '1000000' },
    groups: { type: 'string', default: '50000' },
    seconds: { type: 'string', default: '20' },
  },
});
const budgetMs = Number(values.seconds) * 1000;

interface Summary {
  url: string;
  tenant: { id: string };
  connection: { ClientID: string; ClientSecret: string };
  startupMs: number;
  heapUsedMb: number;
  rssMb: number;
}

async function startEmulatorProcess(extra: string[] = []) {
  const child = spawn(
    process.execPath,
    [
      '--max-semi-space-size=64',
      '--import',
      'tsx',
      'src/emulator/main.ts',
      '--users',
      String(values.users),
      '--groups',
      String(values.groups),
      ...extra,
    ],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return { child, summary: JSON.parse(first) as Summary };
}

async function token(s: Summary): Promise<string> {
  const res = await fetch(`${s.url}/${s.tenant.id}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: s.connection.ClientID,
      client_secret: s.connection.ClientSecret,
      scope: 'https://graph.microsoft.com/.default',
      grant_type: 'client_credentials',
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/** Follows links from `start` for at most budgetMs; returns pages, objects, member links, bytes, 429s. */
async function walk(url: string, bearer: string, headers: Record<string, string> = {}) {
  const started = performance.now();
  let link: string | undefined = url;
  let pages = 0;
  let objects = 0;
  let links = 0;
  let bytes = 0;
  let throttled = 0;
  let completed = false;
  while (link && performance.now() - started < budgetMs) {
    const res: Response = await fetch(link, { headers: { authorization: `Bearer ${bearer}`, ...headers } });
    const text = await res.text();
    if (res.status === 429) {
      throttled++;
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? '1') * 1000));
      continue;
    }
    if (res.status !== 200) throw new Error(`${res.status} ${text.slice(0, 200)}`);
    bytes += text.length;
    const body = JSON.parse(text) as {
      value: Record<string, unknown>[];
      '@odata.nextLink'?: string;
      '@odata.deltaLink'?: string;
    };
    pages++;
    objects += body.value.length;
    for (const item of body.value) links += (item['members@delta'] as unknown[] | undefined)?.length ?? 0;
    link = body['@odata.nextLink'];
    if (body['@odata.deltaLink']) completed = true;
  }
  const seconds = (performance.now() - started) / 1000;
  return {
    completed,
    seconds: round(seconds),
    pages,
    pagesPerSecond: round(pages / seconds),
    objectsPerSecond: Math.round(objects / seconds),
    memberLinksPerSecond: Math.round(links / seconds),
    mbPerSecond: round(bytes / 1e6 / seconds),
    throttled,
  };
}

const round = (n: number) => Math.round(n * 10) / 10;

/** Same pre-serialised 200-user page served by bare node:http and by Fastify: the framework's cost per page. */
async function transportComparison(page: string) {
  const bare = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(page) });
    res.end(page);
  });
  await new Promise<void>((r) => bare.listen(0, '127.0.0.1', r));
  const fastify = Fastify();
  fastify.get('/', async (_req, reply) => reply.type('application/json').send(page));
  await fastify.listen({ port: 0, host: '127.0.0.1' });
  const rate = async (url: string) => {
    const started = performance.now();
    let n = 0;
    while (performance.now() - started < 3000) {
      await (await fetch(url)).text();
      n++;
    }
    return round(n / ((performance.now() - started) / 1000));
  };
  const result = {
    nodeHttpPagesPerSecond: await rate(`http://127.0.0.1:${(bare.address() as AddressInfo).port}/`),
    fastifyPagesPerSecond: await rate(`http://127.0.0.1:${(fastify.server.address() as AddressInfo).port}/`),
  };
  bare.close();
  await fastify.close();
  return result;
}

const { child, summary } = await startEmulatorProcess();
try {
  const bearer = await token(summary);
  const select = 'id,displayName,userPrincipalName,accountEnabled,mail,givenName,surname';
  const usersDelta = await walk(`${summary.url}/v1.0/users/delta?$select=${select}`, bearer);
  const groupsDelta = await walk(`${summary.url}/v1.0/groups/delta?$select=displayName,members`, bearer);
  const usersList = await walk(`${summary.url}/v1.0/users?$top=999&$select=${select}`, bearer);
  const sample = await (
    await fetch(`${summary.url}/v1.0/users/delta?$select=${select}`, { headers: { authorization: `Bearer ${bearer}` } })
  ).text();
  const transport = await transportComparison(sample);
  child.kill('SIGTERM');
  // One run with Graph's throttling enforced: the speed a real tenant of this size allows.
  const throttledRun = await startEmulatorProcess(['--throttling']);
  let usersDeltaThrottled: Awaited<ReturnType<typeof walk>>;
  try {
    usersDeltaThrottled = await walk(
      `${throttledRun.summary.url}/v1.0/users/delta?$select=${select}`,
      await token(throttledRun.summary),
    );
  } finally {
    throttledRun.child.kill('SIGTERM');
  }
  console.log(
    JSON.stringify(
      {
        tenant: { users: Number(values.users), groups: Number(values.groups) },
        build: { startupMs: summary.startupMs, heapUsedMb: summary.heapUsedMb, rssMb: summary.rssMb },
        usersDelta,
        groupsDeltaWithMembers: groupsDelta,
        usersList999: usersList,
        usersDeltaThrottled,
        transport,
      },
      null,
      2,
    ),
  );
} finally {
  if (child.exitCode === null) child.kill('SIGTERM');
}
