import type { Readable } from 'node:stream';

/** Everything a CLI run touches of its process, passed in so tests run commands in-process. */
export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  stdin: Readable | NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
  cwd: string;
}
