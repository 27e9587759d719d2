// `npm run bench -- events [--users 20000] [--write]`: directory events and webhook deliveries (BENCHMARKS.md "Events").
//   1. events produced per second during a 1% incremental sync (jobTitle of 1% of users, 1% of user memberships);
//   2. deliveries per second to a local receiver (one webhook, plain HTTP on loopback, 2xx at once);
//   3. end-to-end latency from the sync's start (the Graph change is already made) to the webhook's arrival.
// Runs in one process with the in-process emulator; SQLite in a temp dir. Note `uptime` load beside the figures.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { startGatehouseFixture } from '../test/support/gatehouse-fixture.js';
import { percentile, seededRandom, writeBenchmarkSection } from './sync-support.js';

const { values } = parseArgs({
  options: { users: { type: 'string', default: '20000' }, write: { type: 'boolean', default: false } },
});
const users = Number(values.users);
const fx = await startGatehouseFixture({
  emulator: { users, groups: Math.max(10, Math.round(users / 50)), seed: 'bench-events' },
});
try {
  const name = fx.connectionName;
  let started = performance.now();
  await fx.gatehouse.sync.run(name);
  const baselineMs = performance.now() - started;

  const arrivals: number[] = [];
  const receiver = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      arrivals.push(performance.now());
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
  await fx.gatehouse.webhooks.create({ name: 'bench', url });

  const dir = fx.emulator.directory;
  const snapshot = dir.snapshot();
  const random = seededRandom(7);
  const active = snapshot.users.filter((u) => u.accountEnabled !== false);
  for (let i = 0; i < Math.ceil(active.length / 100); i++) {
    dir.update(String(active[Math.floor(random() * active.length)]?.id), { jobTitle: `Bench role ${i}` });
  }
  const links = snapshot.groups.flatMap((g) =>
    g.members.filter((m) => m['@odata.type'] === '#microsoft.graph.user').map((m) => [String(g.id), m.id] as const),
  );
  for (let i = 0; i < Math.ceil(links.length / 100); i++) {
    const [groupId, memberId] = links[Math.floor(random() * links.length)] ?? [];
    if (i % 2 === 0) dir.removeMember(String(groupId), String(memberId));
    else dir.addMember(String(groupId), String(active[Math.floor(random() * active.length)]?.id));
  }

  // The realistic emulator lags membership writes by up to 3 s; a scheduled sync runs after that, so the sync timed
  // here starts once they have replicated (the measured end-to-end time starts here too).
  await fx.emulator.settle();
  started = performance.now();
  const report = await fx.gatehouse.sync.run(name);
  const syncMs = performance.now() - started;
  const produced = report.events ?? 0;

  const dispatcher = fx.gatehouse.webhookDispatcher({ pollMs: 20, batch: 500 });
  const deliverStart = performance.now();
  dispatcher.start();
  while (arrivals.length < produced) await new Promise((resolve) => setTimeout(resolve, 5));
  const deliverMs = performance.now() - deliverStart;
  await dispatcher.stop();
  receiver.close();
  const latencies = arrivals.map((t) => t - started).sort((a, b) => a - b);
  const load = loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
  const lines = [
    `users ${users}, groups ${snapshot.groups.length}, SQLite, one process (emulator in-process); load average ${load}`,
    `baseline full sync: ${(baselineMs / 1000).toFixed(1)} s, 0 events (a baseline produces none)`,
    `1% incremental sync: ${report.users.updated} users updated, +${report.memberships.added}/-${report.memberships.removed} memberships, ${produced} events in ${(syncMs / 1000).toFixed(2)} s = ${Math.round(produced / (syncMs / 1000))} events/s of sync`,
    `deliveries: ${produced} in ${(deliverMs / 1000).toFixed(2)} s = ${Math.round(produced / (deliverMs / 1000))} deliveries/s (one webhook, loopback receiver)`,
    `end-to-end (sync start, after the Graph change, to webhook arrival; dispatcher started after the sync): p50 ${Math.round(percentile(latencies, 50))} ms, p99 ${Math.round(percentile(latencies, 99))} ms`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  if (values.write) {
    writeBenchmarkSection(
      'Events',
      `\`npm run bench -- events --users ${users}\`\n\n${lines.map((l) => `- ${l}`).join('\n')}`,
    );
  }
} finally {
  await fx.close();
}
