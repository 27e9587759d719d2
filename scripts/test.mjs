#!/usr/bin/env node
// Runs every *.test.ts under src/ and test/ with node's built-in test runner (through tsx), so that CI reads
// node's own summary. Extra arguments are passed through: `npm test -- test/integration/sync.test.ts` runs one
// file, `npm test -- --test-name-pattern=membership` filters by name.
//
// Engines: the whole suite runs on SQLite. When GATEHOUSE_TEST_DATABASE_URL is set (CI always sets it), the tests
// that open a store through test/support (test-database, the gatehouse fixture, the server harness) run a second
// time with GATEHOUSE_TEST_ENGINE=postgres, each test in a schema of its own. Without the URL that second pass is
// skipped, and the summary says so loudly. Naming files runs them once, on GATEHOUSE_TEST_ENGINE (default sqlite).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findTests(dir) {
  const found = [];
  for (const entry of readdirSync(dir)) {
    if (entry === 'node_modules' || entry === 'dist' || entry.startsWith('.')) continue;
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) found.push(...findTests(path));
    else if (entry.endsWith('.test.ts')) found.push(path);
  }
  return found;
}

/**
 * Tests whose store follows GATEHOUSE_TEST_ENGINE: they (or a helper they import from test/, followed two levels
 * deep) use the test-database helper or the gatehouse fixture. test/postgres/** picks its engines itself.
 */
const ENGINE_AWARE = /test-database\.js|gatehouse-fixture\.js/;
function usesEngineAwareStore(file, depth) {
  const text = readFileSync(file, 'utf8');
  if (ENGINE_AWARE.test(text)) return true;
  if (depth === 0) return false;
  for (const [, spec] of text.matchAll(/from '(\.{1,2}\/[^']+)\.js'/g)) {
    const imported = join(dirname(file), `${spec}.ts`);
    if (imported.startsWith('test') && existsSync(imported) && usesEngineAwareStore(imported, depth - 1)) return true;
  }
  return false;
}
function followsEngine(file) {
  return !file.startsWith(join('test', 'postgres')) && usesEngineAwareStore(file, 2);
}

function run(label, targets, env) {
  process.stdout.write(`\n=== ${label}: ${targets.length} file(s) ===\n`);
  const concurrency = process.env.GATEHOUSE_TEST_CONCURRENCY ?? '2';
  // A hung test fails instead of hanging CI: 10 minutes per test, 60 per pass (both far above any real test).
  const testTimeout = process.env.GATEHOUSE_TEST_TIMEOUT_MS ?? '600000';
  const result = spawnSync(
    process.execPath,
    [
      '--import',
      'tsx',
      '--test',
      '--test-reporter=spec',
      `--test-concurrency=${concurrency}`,
      `--test-timeout=${testTimeout}`,
      ...flags,
      ...targets,
    ],
    {
      stdio: 'inherit',
      env: { ...process.env, GATEHOUSE_LOG_LEVEL: process.env.GATEHOUSE_LOG_LEVEL ?? 'silent', ...env },
      timeout: Number(process.env.GATEHOUSE_TEST_PASS_TIMEOUT_MS ?? 3_600_000),
    },
  );
  if (result.error) process.stderr.write(`\n!!! ${label}: ${result.error.message} !!!\n`);
  return result.status ?? 1;
}

const args = process.argv.slice(2);
const files = args.filter((a) => !a.startsWith('-'));
const flags = args.filter((a) => a.startsWith('-'));

if (files.length > 0) {
  process.exit(run(`named files, GATEHOUSE_TEST_ENGINE=${process.env.GATEHOUSE_TEST_ENGINE ?? 'sqlite'}`, files, {}));
}

const all = ['src', 'test'].flatMap((d) => findTests(d)).sort();
const databaseUrl = process.env.GATEHOUSE_TEST_DATABASE_URL?.trim();
if (process.env.GATEHOUSE_TEST_DRY_RUN) {
  // Shows what each pass would run, without running it.
  process.stdout.write(
    `SQLite pass:\n  ${all.join('\n  ')}\nPostgreSQL pass:\n  ${all.filter(followsEngine).join('\n  ')}\n`,
  );
  process.exit(0);
}
const summary = [];
const sqliteStatus = run('SQLite: every test', all, { GATEHOUSE_TEST_ENGINE: 'sqlite' });
summary.push(`SQLite pass (${all.length} files): ${sqliteStatus === 0 ? 'passed' : 'FAILED'}`);
let postgresStatus = 0;
if (databaseUrl) {
  const again = all.filter(followsEngine);
  postgresStatus = run('PostgreSQL: store and integration tests again', again, { GATEHOUSE_TEST_ENGINE: 'postgres' });
  summary.push(`PostgreSQL pass (${again.length} files): ${postgresStatus === 0 ? 'passed' : 'FAILED'}`);
} else {
  summary.push(
    'PostgreSQL pass: SKIPPED — set GATEHOUSE_TEST_DATABASE_URL (e.g. postgres://postgres@127.0.0.1:5432/test)',
  );
}
process.stdout.write(`\n=== summary ===\n${summary.map((line) => `  ${line}`).join('\n')}\n`);
process.exit(sqliteStatus !== 0 ? sqliteStatus : postgresStatus);
