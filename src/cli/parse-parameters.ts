import { readFileSync } from 'node:fs';
import type { ParameterInput } from '../connections/normalize-parameters.js';
import { AppError } from '../core/errors.js';

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--param KEY=VALUE` (split at the first `=`, so values may contain `=`). */
export function parseParamOption(text: string): ParameterInput {
  const at = text.indexOf('=');
  if (at <= 0) {
    throw new AppError('USAGE_ERROR', {
      message: `--param '${text.includes('=') ? text : `${text.slice(0, 40)}`}' is not KEY=VALUE.`,
      hint: 'Write each parameter as --param KEY=VALUE, e.g. --param TenantID=contoso.onmicrosoft.com.',
    });
  }
  return { key: text.slice(0, at), value: text.slice(at + 1) };
}

/** `--param-file KEY=PATH`: the value is the file's content (certificates, or secrets kept out of shell history). */
export function parseParamFileOption(text: string, resolvePath: (p: string) => string): ParameterInput {
  const { key, value: path } = parseParamOption(text);
  try {
    return { key, value: readFileSync(resolvePath(path), 'utf8') };
  } catch (cause) {
    throw new AppError('USAGE_ERROR', {
      message: `Cannot read --param-file ${key}=${path}.`,
      cause,
      hint: 'Check the path.',
    });
  }
}

export function readPassphraseFile(path: string, resolvePath: (p: string) => string): string {
  let text: string;
  try {
    text = readFileSync(resolvePath(path), 'utf8');
  } catch (cause) {
    throw new AppError('USAGE_ERROR', {
      message: `Cannot read the passphrase file ${path}.`,
      cause,
      hint: 'Check the path.',
    });
  }
  // The length rules are the passphrase box's (12 to seal an export, 8 to open an older one), the same over REST.
  return text.replace(/\r?\n$/, '');
}
