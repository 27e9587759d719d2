#!/usr/bin/env node
// `npm run fuzz`: the property-based fuzz tests (test/fuzz) with many more cases than `npm test` runs.
// FUZZ_RUNS (default 5000) cases per property; FUZZ_SEED picks another fixed seed. Extra arguments pass through.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const files = readdirSync(join('test', 'fuzz'))
  .filter((f) => f.endsWith('.test.ts'))
  .map((f) => join('test', 'fuzz', f));
const result = spawnSync(process.execPath, [join('scripts', 'test.mjs'), ...process.argv.slice(2), ...files], {
  stdio: 'inherit',
  env: { ...process.env, FUZZ_RUNS: process.env.FUZZ_RUNS ?? '5000' },
});
process.exit(result.status ?? 1);
