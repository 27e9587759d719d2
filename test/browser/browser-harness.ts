import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
export const ARTIFACTS = join(process.cwd(), 'test-artifacts');

/** Why browser tests cannot run here, or undefined when they can. */
export function browserSkipReason(): string | undefined {
  if (existsSync(CHROMIUM)) return undefined;
  const reason = `${CHROMIUM} is missing: install it with \`apt-get install -y chromium\` to run the browser tests`;
  // Loud on purpose: a skipped browser suite must not look like a passing one.
  console.warn(`\n*** SKIPPING BROWSER TESTS: ${reason} ***\n`);
  return reason;
}

/** The newest modification time of the UI's sources. */
function newestSourceMs(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSourceMs(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** The built UI (dist/web); builds it with vite when missing or older than its sources (never tests a stale UI). */
export function ensureWebBuild(): string {
  // GATEHOUSE_TEST_WEB_ROOT runs the browser tests against another build, e.g. the UI before a fix, to watch the
  // tests of that fix fail.
  const override = process.env.GATEHOUSE_TEST_WEB_ROOT?.trim();
  if (override) return override;
  const webRoot = join(process.cwd(), 'dist', 'web');
  const index = join(webRoot, 'index.html');
  const stale = !existsSync(index) || statSync(index).mtimeMs < newestSourceMs(join(process.cwd(), 'src', 'web'));
  if (stale) {
    const result = spawnSync(process.execPath, ['node_modules/vite/bin/vite.js', 'build'], { stdio: 'inherit' });
    if (result.status !== 0) throw new Error('vite build failed');
  }
  return webRoot;
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
