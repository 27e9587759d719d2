// Measurement 6: peak RSS of a gatehouse process syncing a 1,000,000-user tenant (child process, sampled).
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';

export async function runRssChild(
  users: number,
  groups: number,
  profile: string,
): Promise<{ peakRssMb: number; ms: number; cpuMs: number }> {
  const args = ['--import', 'tsx', 'bench/sync-rss-child.ts', String(users), String(groups), profile];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`rss child exited with ${code}`)));
  });
  return JSON.parse(line) as { peakRssMb: number; ms: number; cpuMs: number };
}
