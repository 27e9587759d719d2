import { AppError } from '../core/errors.js';

const NIL_GUID = '00000000-0000-0000-0000-000000000000';

/**
 * True for values that are obviously not filled in: `<your tenant id>`, the nil GUID, `your-client-secret`,
 * `{{tenantId}}`. Samples and docs use these, so importing an untouched sample fails loudly instead of reaching
 * Entra as AADSTS900023.
 */
export function isPlaceholder(value: string): boolean {
  const v = value.trim();
  return /<[^>]*>/.test(v) || /\{\{[^}]*\}\}/.test(v) || v.toLowerCase() === NIL_GUID || /^your[-_ ]/i.test(v);
}

export function assertNotPlaceholder(key: string, value: string, hint: string): void {
  if (isPlaceholder(value)) {
    throw new AppError('CONNECTION_PLACEHOLDER_VALUE', {
      message: `${key} still holds a placeholder value; replace it with the real value (${hint}).`,
      details: { key, placeholders: [key] },
    });
  }
}
