import { AppError } from '../core/errors.js';

export const MAX_NAME_LENGTH = 100;

/** Trims and checks a connection name: 1–100 characters, no control characters. */
export function validateConnectionName(name: string): string {
  const trimmed = name.trim().normalize('NFC');
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  const control = /[\u0000-\u001f\u007f]/.test(trimmed);
  if (trimmed.length === 0 || trimmed.length > MAX_NAME_LENGTH || control) {
    throw new AppError('CONNECTION_INVALID_NAME', {
      message:
        trimmed.length === 0
          ? 'The connection name is empty.'
          : control
            ? 'The connection name contains control characters.'
            : `The connection name is ${trimmed.length} characters long; the limit is ${MAX_NAME_LENGTH}.`,
      details: { length: trimmed.length },
    });
  }
  return trimmed;
}
