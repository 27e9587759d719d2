import { isAppError, toAppError } from '../core/errors.js';
import type { CliIo } from './cli-io.js';

/** Prints a command's result: JSON on stdout with --json, human text otherwise. */
export interface Output {
  readonly json: boolean;
  /** With --json prints `data`; otherwise the text lines. */
  result(data: unknown, text: () => string | readonly string[]): void;
  /** A line for humans on stderr (text mode only): progress, trimming notes, warnings. */
  note(line: string): void;
}

export function createOutput(io: CliIo, json: boolean): Output {
  return {
    json,
    result(data, text) {
      if (json) {
        io.stdout.write(`${JSON.stringify(data, null, 2)}\n`);
        return;
      }
      const lines = text();
      const printed = typeof lines === 'string' ? lines : lines.join('\n');
      if (printed !== '') io.stdout.write(`${printed}\n`);
    },
    note(line) {
      if (!json) io.stderr.write(`${line}\n`);
    },
  };
}

/** Prints an error as code + message + hint (text) or `{"error":{code,message,hint,details}}` (JSON, on stdout). */
export function printError(io: CliIo, json: boolean, error: unknown): 1 | 2 {
  const appError = toAppError(error);
  if (json) {
    io.stdout.write(`${JSON.stringify({ error: appError.toJSON() }, null, 2)}\n`);
  } else {
    io.stderr.write(`error ${appError.code}: ${appError.message}\n`);
    if (appError.hint) io.stderr.write(`hint: ${appError.hint}\n`);
  }
  return isAppError(error) ? error.exitCode : appError.exitCode;
}

/** Lays out rows as aligned columns (the first row is the header). */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) {
    row.forEach((cell, i) => {
      widths[i] = Math.max(widths[i] ?? 0, cell.length);
    });
  }
  return rows
    .map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i] ?? 0))).join('  '))
    .join('\n');
}
