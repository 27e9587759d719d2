import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { ACTIONS_DOC_PATH, renderActionsDoc } from './actions-doc.js';
import { ACTIONS } from './registry.js';

test('docs/actions.md is current with the action registry (run `npm run docs` after changing an action)', () => {
  const onDisk = readFileSync(new URL(`../../${ACTIONS_DOC_PATH}`, import.meta.url), 'utf8');
  assert.equal(onDisk, renderActionsDoc());
});

test('every action has a unique name and documents input, output and permissions', () => {
  const names = ACTIONS.map((a) => a.name);
  assert.equal(new Set(names).size, names.length);
  const doc = renderActionsDoc();
  for (const action of ACTIONS) {
    assert.match(doc, new RegExp(`^## ${action.name.replace('.', '\\.')}$`, 'm'));
    assert.equal((action.input as { type?: string }).type, 'object', `${action.name} input is an object schema`);
    if (action.name !== 'graph.request') assert.ok(action.permissions.length > 0, `${action.name} names permissions`);
  }
});
