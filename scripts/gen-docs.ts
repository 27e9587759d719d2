// `npm run docs`: writes every generated document (docs/errors.md, docs/actions.md, ...) from the code it
// describes. `npm run docs -- --check` writes nothing and exits 1 when a document is out of date.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GENERATED_DOCS } from './generated-docs.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const check = process.argv.includes('--check');
let stale = 0;
for (const doc of GENERATED_DOCS) {
  const path = join(root, doc.path);
  const content = doc.render();
  let current: string | undefined;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = undefined;
  }
  if (current === content) continue;
  stale += 1;
  if (check) {
    process.stderr.write(`${doc.path} is out of date; run \`npm run docs\`.\n`);
  } else {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, content);
    process.stdout.write(`wrote ${doc.path}\n`);
  }
}
if (check && stale > 0) process.exitCode = 1;
