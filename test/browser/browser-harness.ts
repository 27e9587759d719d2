import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
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

/** The built UI (dist/web); builds it with vite when missing. */
export function ensureWebBuild(): string {
  const webRoot = join(process.cwd(), 'dist', 'web');
  if (!existsSync(join(webRoot, 'index.html'))) {
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
