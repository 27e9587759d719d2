import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ERRORS_DOC_PATH } from '../scripts/errors-doc.js';
import { GENERATED_DOCS } from '../scripts/generated-docs.js';
import { ERROR_CATALOGUE } from '../src/core/error-catalogue.js';

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');

for (const doc of GENERATED_DOCS) {
  test(`${doc.path} is what \`npm run docs\` writes (run it after changing the code it documents)`, () => {
    assert.equal(read(doc.path), doc.render());
  });
}

test('docs/errors.md lists every catalogued code with its hint, and no other code', () => {
  const doc = read(ERRORS_DOC_PATH);
  const documented = [...doc.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((m) => m[1]);
  assert.deepEqual(documented.sort(), Object.keys(ERROR_CATALOGUE).sort());
  for (const [code, spec] of Object.entries(ERROR_CATALOGUE)) {
    const row = doc.split('\n').find((line) => line.startsWith(`| \`${code}\` |`));
    assert.ok(row?.includes(spec.hint.replaceAll('|', '\\|')), `${code} row carries its hint`);
  }
});
