import { ERROR_CATALOGUE, type ErrorSpec } from '../src/core/error-catalogue.js';

export const ERRORS_DOC_PATH = 'docs/errors.md';

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

/** docs/errors.md: every code of the catalogue with its HTTP status, CLI exit code, message and hint. */
export function renderErrorsDoc(catalogue: Readonly<Record<string, ErrorSpec>> = ERROR_CATALOGUE): string {
  const rows = Object.entries(catalogue).map(
    ([code, spec]) =>
      `| \`${code}\` | ${spec.status} | ${spec.exit} | ${cell(spec.message)} | ${cell(spec.hint)}${
        spec.uiHint ? `<br>**Console and REST:** ${cell(spec.uiHint)}` : ''
      } |`,
  );
  return [
    '# Error codes',
    '',
    '<!-- Generated from src/core/error-catalogue.ts by `npm run docs`. Do not edit by hand. -->',
    '',
    'Every failure gatehouse reports carries one of these stable codes, a message naming the thing, and a hint saying',
    'what to do. The CLI prints `error CODE: message` and `hint: …` (with `--json`:',
    '`{"error":{"code","message","hint","details"}}`) and exits with the exit code below (2 = bad usage or input,',
    '1 = the operation failed). The REST API answers with the HTTP status below and',
    '`{"error":{"code","message","hint","details","requestId"}}`. Codes are a contract: they are added, never renamed.',
    "Where the CLI's hint names commands or flags, the web console and the REST API give the same advice in their own",
    'words (pages and buttons, or the request field): shown below as "Console and REST".',
    '',
    '| code | HTTP | exit | message | hint |',
    '|---|---|---|---|---|',
    ...rows,
    '',
  ].join('\n');
}
