// `npm run bench -- user-layout [--users 100000]`: the layouts a synced user could be stored in, side by side with
// better-sqlite3 alone (no gatehouse code): why the users table keeps its layout (BENCHMARKS.md "Sync: membership index
// and users table"). Each layout upserts the same users (rows shaped like gatehouse's: UPN, names, mail, title), 500
// rows per transaction, in the order Graph sends them (random ids), then once more (the updates of a later full
// round); CPU is this process's.
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';

const { values } = parseArgs({ options: { users: { type: 'string' } } });
const USERS = Number(values.users ?? 100_000);
const PER_TRANSACTION = 500;
const cid = randomUUID();
const rows = Array.from({ length: USERS }, (_, i) => {
  const upn = `user${i}.${randomUUID().slice(0, 6)}@contoso.example`;
  return [
    cid,
    randomUUID(),
    upn,
    upn.toLowerCase(),
    `User ${i}`,
    upn,
    'Given',
    `Surname${i}`,
    'Engineer',
    'R&D',
    1,
    1,
    0,
  ];
});
const COLUMNS =
  'connection_id text not null, id text not null, user_principal_name text not null, upn_lower text not null, display_name text, mail text, given_name text, surname text, job_title text, department text, account_enabled integer not null, round_id integer not null, soft_deleted integer not null';
const UPSERT =
  'insert into u values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict (connection_id, id) do update set user_principal_name = excluded.user_principal_name, upn_lower = excluded.upn_lower, display_name = excluded.display_name, round_id = excluded.round_id';

const dir = mkdtempSync(join(tmpdir(), 'gatehouse-user-layout-'));
function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

const layouts: { name: string; ddl: string[]; sorted?: boolean }[] = [
  {
    name: 'rowid table, primary key, UPN index (today)',
    ddl: [
      `create table u (${COLUMNS}, primary key (connection_id, id))`,
      'create index u_upn on u (connection_id, upn_lower)',
    ],
  },
  {
    name: 'WITHOUT ROWID, UPN index',
    ddl: [
      `create table u (${COLUMNS}, primary key (connection_id, id)) without rowid`,
      'create index u_upn on u (connection_id, upn_lower)',
    ],
  },
  {
    name: 'today, each transaction sorted by id',
    ddl: [
      `create table u (${COLUMNS}, primary key (connection_id, id))`,
      'create index u_upn on u (connection_id, upn_lower)',
    ],
    sorted: true,
  },
  {
    name: 'rowid table, primary key, no UPN index',
    ddl: [`create table u (${COLUMNS}, primary key (connection_id, id))`],
  },
  {
    name: 'rowid table, primary key, UPN index built after',
    ddl: [`create table u (${COLUMNS}, primary key (connection_id, id))`],
  },
];

for (const [n, layout] of layouts.entries()) {
  const db = new Database(join(dir, `${n}.db`));
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  for (const statement of layout.ddl) db.exec(statement);
  const upsert = db.prepare(UPSERT);
  const byId = (a: unknown[], b: unknown[]) => ((a[1] as string) < (b[1] as string) ? -1 : 1);
  const write = db.transaction((chunk: unknown[][]) => {
    if (layout.sorted) chunk.sort(byId);
    for (const row of chunk) upsert.run(row);
  });
  let ms = cpuMs(() => {
    for (let i = 0; i < rows.length; i += PER_TRANSACTION) write(rows.slice(i, i + PER_TRANSACTION));
  });
  if (layout.name.endsWith('built after'))
    ms += cpuMs(() => db.exec('create index u_upn on u (connection_id, upn_lower)'));
  const again = cpuMs(() => {
    for (let i = 0; i < rows.length; i += PER_TRANSACTION) write(rows.slice(i, i + PER_TRANSACTION));
  });
  db.close();
  process.stdout.write(
    `${JSON.stringify({ layout: layout.name, usPerUserFirst: +((ms * 1000) / USERS).toFixed(2), usPerUserAgain: +((again * 1000) / USERS).toFixed(2) })}\n`,
  );
}
rmSync(dir, { recursive: true, force: true });
