import { AppError } from '../core/errors.js';

/**
 * Paged actions hand out Graph's `@odata.nextLink` as an opaque cursor, reduced to a path relative to the version
 * root. Only that path comes back in: a caller-supplied absolute URL could send the bearer token to another host.
 */
export function toCursor(nextLink: string | undefined): string | undefined {
  if (nextLink === undefined) return undefined;
  const url = new URL(nextLink);
  const relative = url.pathname.replace(/^\/(v1\.0|beta)(?=\/)/, '') + url.search;
  return Buffer.from(relative, 'utf8').toString('base64url');
}

/** Decodes a cursor; it must continue the same collection (`/users`, `/groups`) that the action lists. */
export function fromCursor(cursor: string, collection: string): string {
  const path = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!path.startsWith(`${collection}?`) || /[\r\n]/.test(path)) {
    throw new AppError('ACTION_INVALID_INPUT', {
      message: 'The cursor is not one this action returned.',
      hint: 'Pass back the `nextCursor` of the previous page unchanged, or leave it out to start from the first page.',
      details: { errors: [{ path: '/cursor', message: `must continue a ${collection} listing` }] },
    });
  }
  return path;
}
