import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

/**
 * The dependency rules of the style guide, enforced: domain modules declare ports and never touch HTTP, SQL, msal,
 * fetch or the environment; the emulator and the Entra client share no code (if both read Graph through the same
 * code, they err together).
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const DOMAIN = ['src/core', 'src/connections', 'src/directory', 'src/sync'];
const FORBIDDEN_IMPORTS = [
  /^fastify$/,
  /^@fastify\//,
  /^kysely$/,
  /^pg$/,
  /^pg-boss$/,
  /^better-sqlite3$/,
  /^node:https?$/,
  /^https?$/,
  /msal/,
];

function sourceFiles(dir: string): string[] {
  let entries: string[];
  try {
    entries = readdirSync(join(root, dir));
  } catch {
    return [];
  }
  return entries.flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(join(root, path)).isDirectory()) return sourceFiles(path);
    return /\.tsx?$/.test(entry) && !entry.endsWith('.test.ts') ? [path] : [];
  });
}

/** Module specifiers of static imports, `export … from` and dynamic `import()`. */
function importsOf(source: string): string[] {
  const specifiers = [
    ...source.matchAll(/(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]/g),
    ...source.matchAll(/import\s*\(\s*['"]([^'"]+)['"]\s*\)/g),
    ...source.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm),
  ];
  return specifiers.map((m) => m[1] as string);
}

/** Removes comments so a comment that mentions fetch( or process.env does not count. */
function code(source: string): string {
  return source.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');
}

test('domain modules import no HTTP, SQL or msal package and use no fetch or process.env', () => {
  const offences: string[] = [];
  for (const file of DOMAIN.flatMap(sourceFiles)) {
    const source = readFileSync(join(root, file), 'utf8');
    for (const specifier of importsOf(source)) {
      if (FORBIDDEN_IMPORTS.some((rule) => rule.test(specifier))) offences.push(`${file} imports ${specifier}`);
    }
    if (/\bfetch\s*\(/.test(code(source))) offences.push(`${file} calls fetch(`);
    if (/\bprocess\.env\b/.test(code(source))) offences.push(`${file} reads process.env`);
  }
  assert.deepEqual(offences, [], `domain rule broken:\n${offences.join('\n')}`);
});

test('domain modules import only core and other domain modules of gatehouse', () => {
  const offences: string[] = [];
  for (const file of DOMAIN.flatMap(sourceFiles)) {
    for (const specifier of importsOf(readFileSync(join(root, file), 'utf8'))) {
      if (!specifier.startsWith('.')) continue;
      const target = relative(root, join(root, file, '..', specifier)).replaceAll('\\', '/');
      const allowed = DOMAIN.some((d) => target.startsWith(`${d}/`));
      if (!allowed) offences.push(`${file} imports ${target}`);
    }
  }
  assert.deepEqual(offences, [], `domain modules must not depend on adapters:\n${offences.join('\n')}`);
});

test('the emulator and the Entra client share no code', () => {
  const offences: string[] = [];
  const check = (from: string, to: string) => {
    for (const file of sourceFiles(from)) {
      for (const specifier of importsOf(readFileSync(join(root, file), 'utf8'))) {
        if (!specifier.startsWith('.')) continue;
        const target = relative(root, join(root, file, '..', specifier)).replaceAll('\\', '/');
        if (target.startsWith(`${to}/`)) offences.push(`${file} imports ${target}`);
      }
    }
  };
  check('src/emulator', 'src/entra');
  check('src/entra', 'src/emulator');
  assert.deepEqual(offences, [], `emulator and entra must stay independent:\n${offences.join('\n')}`);
});

test('the rules above see real imports (guards against a regex that matches nothing)', () => {
  const imports = importsOf(readFileSync(join(root, 'src/store/open-database.ts'), 'utf8'));
  assert.ok(imports.includes('kysely') && imports.includes('better-sqlite3'), imports.join(', '));
  assert.ok(sourceFiles('src/connections').length > 5);
});
