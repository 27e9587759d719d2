// The development entry: `node --import tsx src/cli/bin.ts connections list`. The published bin is bin/gatehouse.js.
import { exitQuietlyOnClosedPipe, runCli } from './main.js';

exitQuietlyOnClosedPipe();

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
