// `npm run bench -- NAME [options]`: runs bench/NAME.ts in its own process (each benchmark parses its own options).
//   npm run bench -- sync [--users 100000] [--groups 5000]   gatehouse's directory sync (BENCHMARKS.md "Sync")
//   npm run bench -- emulator [--users 1000000]              the emulator itself (BENCHMARKS.md "Emulator")
//   npm run bench -- sync-store [--users 100000] [--engine postgres]   the store's write path alone (CPU per object)
//   npm run bench -- link-layout [--users 100000]           the layouts a membership link could be stored in
//   npm run bench -- user-layout [--users 100000]           the layouts a synced user could be stored in
//   npm run bench -- layout-migration [--links 830000] [--engine postgres]   migration 0014 on a populated store
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const [name, ...rest] = process.argv.slice(2);
const file = join('bench', `${name ?? ''}.ts`);
if (!name || !existsSync(file)) {
  process.stderr.write('usage: npm run bench -- <sync|emulator> [options]\n');
  process.exit(2);
}
const result = spawnSync(process.execPath, ['--import', 'tsx', file, ...rest], { stdio: 'inherit' });
process.exit(result.status ?? 1);
