// `npm run bench -- link-layout [--users 100000] [--groups 5000]`: the layouts a membership link could be stored in,
// measured side by side with better-sqlite3 alone (no gatehouse code), the decision behind migration 0014 (BENCHMARKS.md
// "Sync: links keyed by group"). Each layout writes the same users and ~8 links per user, 5,000 rows per
// transaction, rows sorted by key as gatehouse sorts them; CPU is this process's.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

const { values } = parseArgs({ options: { users: { type: 'string' }, groups: { type: 'string' } } });
const USERS = Number(values.users ?? 100_000);
const GROUPS = Number(values.groups ?? 5_000);
const PER_TRANSACTION = 5_000;

const cid = randomUUID();
const users = Array.from({ length: USERS }, () => randomUUID());
const groups = Array.from({ length: GROUPS }, () => randomUUID());
// Skewed like a real tenant: a few big groups, many small ones (seeded, so every layout gets the same links).
let seed = 1;
const random = () => {
  seed = (seed * 1103515245 + 12345) & 0x7fffffff;
  return seed / 0x7fffffff;
};
const members = new Map<string, Set<string>>(groups.map((g) => [g, new Set<string>()]));
for (const u of users)
  for (let k = 0; k < 8; k++) members.get(groups[Math.floor(random() ** 2 * GROUPS)] as string)?.add(u);
const links: [string, string][] = [];
for (const [g, ms] of members) for (const m of ms) links.push([g, m]);

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-link-layout-'));
function open(name: string): Database.Database {
  const db = new Database(join(dir, `${name}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  return db;
}

function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function inTransactions<T>(db: Database.Database, items: readonly T[], write: (chunk: T[]) => void): void {
  for (let i = 0; i < items.length; i += PER_TRANSACTION) db.transaction(write)(items.slice(i, i + PER_TRANSACTION));
}

const byText = (a: [string, string], b: [string, string]) =>
  a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;

interface Layout {
  name: string;
  run(db: Database.Database): { users: number; links: number; note?: string };
}

const layouts: Layout[] = [
  {
    name: 'text ids (connection, group, member): before 0014',
    run(db) {
      db.exec('create table u (cid text not null, id text not null, v text, primary key (cid, id))');
      db.exec(`create table l (cid text not null, g text not null, m text not null, t text not null, r int not null,
        primary key (cid, g, m)) without rowid`);
      const iu = db.prepare('insert into u values (?, ?, ?) on conflict do update set v = excluded.v');
      const il = db.prepare('insert into l values (?, ?, ?, ?, ?) on conflict do update set r = excluded.r');
      return {
        users: cpuMs(() => inTransactions(db, users, (c) => c.forEach((u) => void iu.run(cid, u, 'x')))),
        links: cpuMs(() =>
          inTransactions(db, links, (c) => c.sort(byText).forEach(([g, m]) => void il.run(cid, g, m, 'user', 1))),
        ),
      };
    },
  },
  {
    name: '(group key, member id): migration 0014',
    run(db) {
      db.exec('create table u (cid text not null, id text not null, v text, primary key (cid, id))');
      db.exec('create table k (key integer primary key autoincrement, cid text not null, g text not null)');
      db.exec('create unique index k_g on k (cid, g)');
      db.exec(`create table l (g int not null, m text not null, t text not null, r int not null,
        primary key (g, m)) without rowid`);
      const iu = db.prepare('insert into u values (?, ?, ?) on conflict do update set v = excluded.v');
      const find = db.prepare('select key from k where cid = ? and g = ?').pluck();
      const create = db.prepare('insert into k (cid, g) values (?, ?)');
      const il = db.prepare('insert into l values (?, ?, ?, ?) on conflict do update set r = excluded.r');
      return {
        users: cpuMs(() => inTransactions(db, users, (c) => c.forEach((u) => void iu.run(cid, u, 'x')))),
        links: cpuMs(() =>
          inTransactions(db, links, (c) => {
            // Once per group per transaction, as bulk-writes does per page.
            const keys = new Map<string, number>();
            for (const [g] of c) {
              if (keys.has(g)) continue;
              const key = find.get(cid, g) as number | undefined;
              keys.set(g, key ?? Number(create.run(cid, g).lastInsertRowid));
            }
            const rows = c.map(([g, m]) => [keys.get(g) as number, m] as const);
            rows.sort((a, b) => a[0] - b[0] || (a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0));
            for (const [g, m] of rows) il.run(g, m, 'user', 1);
          }),
        ),
      };
    },
  },
  ...(['lookup', 'memory'] as const).map(
    (resolve): Layout => ({
      name: `integer keys for group and member, resolved by ${resolve === 'lookup' ? 'an indexed lookup per member' : 'an in-memory map of every id'}`,
      run(db) {
        db.exec('create table u (k integer primary key, cid text not null, id text not null, v text)');
        db.exec('create unique index u_id on u (cid, id)');
        db.exec(
          'create table l (g int not null, m int not null, t int not null, r int not null, primary key (g, m)) without rowid',
        );
        const iu = db.prepare(
          'insert into u (cid, id, v) values (?, ?, ?) on conflict (cid, id) do update set v = excluded.v',
        );
        const find = db.prepare('select k from u where cid = ? and id = ?').pluck();
        const il = db.prepare('insert into l values (?, ?, ?, ?) on conflict do update set r = excluded.r');
        const memory = new Map<string, number>();
        const heapBefore = process.memoryUsage().heapUsed;
        const userCpu = cpuMs(() =>
          inTransactions(db, [...users, ...groups], (c) =>
            c.forEach((id) => {
              const key = Number(iu.run(cid, id, 'x').lastInsertRowid);
              if (resolve === 'memory') memory.set(id, key);
            }),
          ),
        );
        const heapMb = (process.memoryUsage().heapUsed - heapBefore) / 1e6;
        const keyOf = (id: string) => (resolve === 'memory' ? memory.get(id) : (find.get(cid, id) as number));
        const linkCpu = cpuMs(() =>
          inTransactions(db, links, (c) => {
            const rows = c.map(([g, m]) => [keyOf(g) as number, keyOf(m) as number] as const);
            rows.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
            for (const [g, m] of rows) il.run(g, m, 0, 1);
          }),
        );
        return {
          users: userCpu,
          links: linkCpu,
          ...(resolve === 'memory' ? { note: `map ≈ ${heapMb.toFixed(0)} MB of heap for ${USERS + GROUPS} ids` } : {}),
        };
      },
    }),
  ),
];

process.stdout.write(
  `${USERS} users, ${GROUPS} groups, ${links.length} links, ${PER_TRANSACTION} rows per transaction\n`,
);
process.stdout.write('| layout | users: CPU | links: CPU | µs per link | |\n|---|---|---|---|---|\n');
try {
  for (const [i, layout] of layouts.entries()) {
    const db = open(`layout-${i}`);
    const { users: u, links: l, note } = layout.run(db);
    db.close();
    const perLink = ((l * 1000) / links.length).toFixed(2);
    process.stdout.write(
      `| ${layout.name} | ${(u / 1000).toFixed(2)} s | ${(l / 1000).toFixed(2)} s | ${perLink} | ${note ?? ''} |\n`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
