import { ACTIONS_DOC_PATH, renderActionsDoc } from '../src/actions/actions-doc.js';
import { ERRORS_DOC_PATH, renderErrorsDoc } from './errors-doc.js';

/** A file under docs/ generated from code; `npm run docs` writes each, test/docs.test.ts checks each is current. */
export interface GeneratedDoc {
  /** Relative to the project root. */
  readonly path: string;
  render(): string;
}

/** Add a generated document with one line here. */
export const GENERATED_DOCS: readonly GeneratedDoc[] = [
  { path: ERRORS_DOC_PATH, render: () => renderErrorsDoc() },
  { path: ACTIONS_DOC_PATH, render: () => renderActionsDoc() },
];
