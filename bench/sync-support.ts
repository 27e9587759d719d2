// Shared pieces of the sync benchmark: the emulator as a separate process, tokens, a gatehouse on a temp dir.
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import pg from 'pg';
import { type Gatehouse, openGatehouse } from '../src/main.js';

export interface EmulatorSummary {
  url: string;
  tenant: { id: string };
  connection: Record<string, string> & { ClientID: string; ClientSecret: string };
  startupMs: number;
  rssMb: number;
}

export interface EmulatorProcess {
  summary: EmulatorSummary;
  stop(): Promise<void>;
}

/** Starts `src/emulator/main.ts` as its own process (so its CPU is not ours) and reads its summary line. */
export async function startEmulatorProcess(args: string[]): Promise<EmulatorProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--max-old-space-size=8192', '--import', 'tsx', 'src/emulator/main.ts', ...args],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const first = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code}`)));
  });
  return {
    summary: JSON.parse(first) as EmulatorSummary,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** A client-credentials token straight from the emulator (the baselines do what a script would do). */
export async function fetchToken(s: EmulatorSummary): Promise<string> {
  const res = await fetch(`${s.url}/${s.tenant.id}/oauth2/v2.0/token`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: s.connection.ClientID,
      client_secret: s.connection.ClientSecret,
      scope: 'https://graph.microsoft.com/.default',
      grant_type: 'client_credentials',
    }),
  });
  return ((await res.json()) as { access_token: string }).access_token;
}

/**
 * A fresh gatehouse on a temp data dir with one connection (`bench`) to the emulator; with `postgresUrl`, on a fresh
 * schema of that PostgreSQL database (`--engine postgres`) instead of SQLite.
 */
export async function openBenchGatehouse(
  s: EmulatorSummary,
  postgresUrl?: string,
): Promise<{ gatehouse: Gatehouse; dataDir: string; schema?: string }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gatehouse-bench-'));
  const schema = postgresUrl ? `gh_bench_${randomBytes(4).toString('hex')}` : undefined;
  const gatehouse = await openGatehouse({
    dataDir,
    masterKey: randomBytes(32).toString('base64'),
    ...(postgresUrl && schema ? { databaseUrl: postgresUrl, databaseSchema: schema, migrations: 'auto' as const } : {}),
  });
  const parameters = Object.entries(s.connection).map(([key, value]) => ({ key, value }));
  await gatehouse.connections.create({ name: 'bench', type: 'EntraID', parameters });
  return { gatehouse, dataDir, ...(schema ? { schema } : {}) };
}

/** Drops a bench's PostgreSQL schema and its job queue's (`<schema>_jobs`, src/jobs), so no bench leaves either behind. */
export async function dropBenchSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists ${schema}, ${schema}_jobs cascade`);
  } finally {
    await client.end();
  }
}

/** Replaces (or appends) the `## title` section of BENCHMARKS.md, leaving the other areas' sections alone. */
export function writeBenchmarkSection(title: string, body: string, file = 'BENCHMARKS.md'): void {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    text = '# gatehouse benchmarks\n\nFigures from `npm run bench -- <name>`; each area keeps its own section.\n';
  }
  const heading = `## ${title}`;
  const section = `${heading}\n\n${body.trim()}\n`;
  const start = text.indexOf(`${heading}\n`);
  if (start < 0) {
    writeFileSync(file, `${text.trimEnd()}\n\n${section}`);
    return;
  }
  const next = text.indexOf('\n## ', start + heading.length);
  writeFileSync(file, `${text.slice(0, start)}${section}${next < 0 ? '' : text.slice(next)}`);
}

/** A seeded pseudo-random generator (mulberry32), so reruns pick the same users and groups. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] as number;
}
