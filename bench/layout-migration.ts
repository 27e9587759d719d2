// How long migration 0014 (links keyed by group) takes on a populated store, the downtime of an upgrade (issue 13):
// `npm run bench -- layout-migration [--groups 5000] [--links 830000] [--engine sqlite|postgres]`
// Builds the previous layout (every migration but 0014: the landed version's) with `--links` rows in `directory_memberships`, spread over
// `--groups` groups, then times `migrateToLatest`. Prints one JSON line; writes nothing to BENCHMARKS.md.
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { MIGRATIONS } from '../src/store/migrations/index.js';
import { migrateToLatest } from '../src/store/migrator.js';
import { openDatabase } from '../src/store/open-database.js';
import { dropBenchSchema } from './sync-support.js';

const { values } = parseArgs({
  options: {
    groups: { type: 'string', default: '5000' },
    links: { type: 'string', default: '830000' },
    engine: { type: 'string', default: 'sqlite' },
  },
});
const groupCount = Number(values.groups);
const linkCount = Number(values.links);
const url = values.engine === 'postgres' ? process.env.GATEHOUSE_TEST_DATABASE_URL : undefined;
if (values.engine === 'postgres' && !url) throw new Error('set GATEHOUSE_TEST_DATABASE_URL for --engine postgres');
const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-migration-bench-'));
const schema = `gh_mb_${randomBytes(4).toString('hex')}`;
const opened = await openDatabase({
  dataDir,
  ...(url ? { databaseUrl: url, schema } : {}),
  migrations: 'none',
});
await migrateToLatest(
  opened.db,
  opened.engine,
  MIGRATIONS.filter((m) => !/^0014-/.test(m.name)),
);

const cid = randomUUID();
const groups = Array.from({ length: groupCount }, () => randomUUID());
const ROWS = 500;
await opened.db.transaction().execute(async (trx) => {
  for (let i = 0; i < linkCount; i += ROWS) {
    const rows = [];
    for (let n = i; n < Math.min(i + ROWS, linkCount); n++) {
      rows.push({
        connection_id: cid,
        group_id: groups[n % groupCount] as string,
        member_id: randomUUID(),
        member_type: 'user',
        round_id: 1,
      });
    }
    // The table of the previous layout, which today's schema types no longer name.
    await trx
      .withTables<{
        directory_memberships: {
          connection_id: string;
          group_id: string;
          member_id: string;
          member_type: string;
          round_id: number;
        };
      }>()
      .insertInto('directory_memberships')
      .values(rows)
      .execute();
  }
});

const t0 = performance.now();
const applied = await migrateToLatest(opened.db, opened.engine);
const wallMs = performance.now() - t0;
const { rows } = await sql<{ n: number }>`select count(*) as n from directory_links`.execute(opened.db);
process.stdout.write(
  `${JSON.stringify({
    engine: opened.engine,
    groups: groupCount,
    links: linkCount,
    linksAfter: Number(rows[0]?.n),
    applied,
    wallMs: Math.round(wallMs),
    load: loadavg()[0]?.toFixed(1),
  })}\n`,
);
await opened.close();
rmSync(dataDir, { recursive: true, force: true });
if (url) await dropBenchSchema(url, schema);
