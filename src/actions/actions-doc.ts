import type { ActionDefinition } from './action.js';
import { describeSets } from './permissions.js';
import { ACTIONS } from './registry.js';

/** Where `npm run docs` writes the action reference. */
export const ACTIONS_DOC_PATH = 'docs/actions.md';

function permissionLine(action: ActionDefinition): string {
  if (action.permissions.length === 0) return 'whatever the called Graph API requires';
  return action.permissions.map((set) => set.map((p) => `\`${p}\``).join(' + ')).join(', or ');
}

function section(action: ActionDefinition): string {
  const kind =
    action.name === 'graph.request'
      ? 'read (writes only with `"allowWrite": true`)'
      : action.write
        ? 'write (audited)'
        : 'read';
  return [
    `## ${action.name}`,
    '',
    action.summary,
    '',
    `- Kind: ${kind}`,
    `- Application permissions (any one set, least privileged first): ${permissionLine(action)}`,
    '',
    'Input (JSON Schema):',
    '',
    '```json',
    JSON.stringify(action.input, null, 2),
    '```',
    '',
    'Output (JSON Schema):',
    '',
    '```json',
    JSON.stringify(action.output, null, 2),
    '```',
    '',
  ].join('\n');
}

/** docs/actions.md, generated from the registry (`npm run docs`); a test fails when the file is out of date. */
export function renderActionsDoc(actions: readonly ActionDefinition[] = ACTIONS): string {
  const rows = actions.map(
    (a) =>
      `| [\`${a.name}\`](#${a.name.replace(/\./g, '').toLowerCase()}) | ${a.write ? 'write' : 'read'} | ${describeSets(a.permissions)} | ${a.summary} |`,
  );
  return [
    '# Actions',
    '',
    '<!-- Generated from src/actions/registry.ts by `npm run docs`. Do not edit by hand. -->',
    '',
    'Identity actions a workflow can run through a connection: `gatehouse action run NAME ACTION --input JSON`,',
    '`POST /api/v1/connections/{name}/actions/{action}` with `{"input": …}` (answers `{"output": …}`), or',
    '`gatehouse.actions.run(connection, action, input, actor)` in the library.',
    'Writes are idempotent where Entra allows it, refresh the local directory at once and are written to the audit',
    'log (never with passwords or secrets). A missing permission is reported as `GRAPH_INSUFFICIENT_PRIVILEGES` naming',
    'the Application permission to add; see [errors.md](errors.md) for every code.',
    '',
    '| action | kind | application permissions | what it does |',
    '|---|---|---|---|',
    ...rows,
    '',
    ...actions.map(section),
  ].join('\n');
}
