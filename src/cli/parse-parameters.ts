import type { ParameterInput } from '../connections/normalize-parameters.js';
import { AppError, isAppError } from '../core/errors.js';
import { MAX_PARAMETER_FILE_BYTES, readBoundedFile } from './read-bounded.js';
import { shownPath, shownValue } from './shown-value.js';

/** Commander collector for repeatable options. */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

/** `--param KEY=VALUE` (split at the first `=`, so values may contain `=`). */
export function parseParamOption(text: string): ParameterInput {
  const at = text.indexOf('=');
  if (at <= 0) {
    // Never echoed: a mistyped `--param "=<secret>"` or `--param <secret>` holds the secret itself.
    throw new AppError('USAGE_ERROR', {
      message:
        at === 0
          ? 'A --param has no key before its "=" (the value is not shown).'
          : `A --param (${text.length} characters, not shown) has no "=": it is not KEY=VALUE.`,
      hint: 'Write each parameter as --param KEY=VALUE, e.g. --param TenantID=contoso.onmicrosoft.com.',
    });
  }
  return { key: text.slice(0, at), value: text.slice(at + 1) };
}

/** `--param-file KEY=PATH`: the value is the file's content (certificates, or secrets kept out of shell history). */
export function parseParamFileOption(text: string, resolvePath: (p: string) => string): ParameterInput {
  const { key, value: path } = parseParamOption(text);
  try {
    return { key, value: readBoundedFile(resolvePath(path), MAX_PARAMETER_FILE_BYTES, `--param-file ${key}`) };
  } catch (cause) {
    if (isAppError(cause)) throw cause;
    throw new AppError('USAGE_ERROR', {
      message: `Cannot read --param-file ${shownValue(key)}=${shownPath(path)}.`,
      cause,
      hint: 'Check the path.',
    });
  }
}

export function readPassphraseFile(path: string, resolvePath: (p: string) => string): string {
  let text: string;
  try {
    text = readBoundedFile(resolvePath(path), MAX_PARAMETER_FILE_BYTES, 'The passphrase file');
  } catch (cause) {
    if (isAppError(cause)) throw cause;
    throw new AppError('USAGE_ERROR', {
      message: `Cannot read the passphrase file ${shownPath(path)}.`,
      cause,
      hint: 'Check the path.',
    });
  }
  // The length rules are the passphrase box's (12 to seal an export, 8 to open an older one), the same over REST.
  return text.replace(/\r?\n$/, '');
}
