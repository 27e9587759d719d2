#!/usr/bin/env node
// The published entry point: runs the compiled CLI. `npm install` builds dist/ through the `prepare` script.
import { exitQuietlyOnClosedPipe, runCli } from '../dist/cli/main.js';

exitQuietlyOnClosedPipe();

process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
  cwd: process.cwd(),
});
