import { AppError } from '../core/errors.js';

export const MAX_NAME_LENGTH = 100;

/** Connection ids are UUIDs: a name of that shape could answer for another connection's id (issue 12 finding 3). */
const UUID_SHAPED = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/**
 * Characters that make two names look alike or reorder what is shown (issue 12 finding 11): control (Cc), format
 * (Cf: U+200B zero width space, U+202E right-to-left override, U+FEFF, …), line and paragraph separators (Zl, Zp:
 * U+2028, U+2029), every space but the ASCII one (U+00A0, U+3000, …), and unassigned code points or surrogates.
 */
const UNSAFE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cn}\p{Cs}]|(?! )\p{Zs}/u;

/** ASCII whitespace around a name (a pasted line's newline) is dropped; any other is refused, not trimmed. */
function trimAscii(name: string): string {
  return name.replace(/^[ \t\r\n]+|[ \t\r\n]+$/g, '');
}

/** The canonical spelling of a name: trimmed and NFKC-normalised (fullwidth Ｅｍｕ is Emu). */
export function canonicalName(name: string): string {
  return trimAscii(trimAscii(name).normalize('NFKC'));
}

/**
 * Trims, NFKC-normalises and checks a connection name: 1–100 characters, not UUID-shaped, no control, format,
 * separator or non-ASCII space characters. Every refusal has its own stable code and hint.
 */
export function validateConnectionName(name: string): string {
  // Checked before NFKC too: it would turn U+00A0 and U+3000 into plain spaces and hide them.
  const raw = trimAscii(name);
  const canonical = canonicalName(name);
  // biome-ignore lint/suspicious/noControlCharactersInRegex: refusing control characters is the point
  if (/[\u0000-\u001f\u007f-\u009f]/.test(raw)) {
    // The code control characters always had (codes are a contract).
    throw new AppError('CONNECTION_INVALID_NAME', {
      message: 'The connection name contains control characters.',
      details: { length: canonical.length },
    });
  }
  const unsafe = UNSAFE.exec(raw) ?? UNSAFE.exec(canonical);
  if (unsafe) {
    const codePoint = `U+${(unsafe[0].codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
    throw new AppError('CONNECTION_NAME_UNSAFE_CHARACTER', {
      message: `The connection name contains ${codePoint}, an invisible, control, separator or non-ASCII space character.`,
      details: { codePoint },
    });
  }
  if (canonical.length === 0 || canonical.length > MAX_NAME_LENGTH) {
    throw new AppError('CONNECTION_INVALID_NAME', {
      message:
        canonical.length === 0
          ? 'The connection name is empty.'
          : `The connection name is ${canonical.length} characters long; the limit is ${MAX_NAME_LENGTH}.`,
      details: { length: canonical.length },
    });
  }
  if (UUID_SHAPED.test(canonical)) {
    throw new AppError('CONNECTION_NAME_LOOKS_LIKE_ID', { details: { connection: canonical } });
  }
  return canonical;
}

/** What the name rules say about a stored name, or undefined when it is fine (the check of existing rows). */
export function nameProblem(name: string): string | undefined {
  try {
    if (validateConnectionName(name) !== name) return 'NOT_CANONICAL';
    return undefined;
  } catch (error) {
    return error instanceof AppError ? error.code : 'INVALID';
  }
}
