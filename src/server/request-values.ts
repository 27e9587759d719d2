import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/errors.js';

/**
 * The first path to a value no store can take, and why: a number that is not finite (Infinity from
 * `?offset=Infinity` or a JSON `1e999`) or a string holding U+0000 (PostgreSQL text refuses it).
 */
export function unstorablePath(value: unknown, path = '', depth = 0): { path: string; why: string } | undefined {
  if (typeof value === 'number') {
    return Number.isFinite(value) ? undefined : { path: path || '/', why: 'must be a finite number' };
  }
  if (typeof value === 'string') {
    return value.includes('\u0000') ? { path: path || '/', why: 'must not contain U+0000' } : undefined;
  }
  if (value === null || typeof value !== 'object' || depth > 32) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    if (key.includes('\u0000'))
      return { path: `${path}/${key.replaceAll('\u0000', '')}`, why: 'must not contain U+0000' };
    const found = unstorablePath(inner, `${path}/${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Refuses non-finite numbers and NUL characters after schema validation: the validator takes `Infinity` as an
 * integer within any maximum, and PostgreSQL refuses U+0000 in text (both found by the REST fuzzer:
 * `GET /directory/{name}/users?offset=Infinity` and `GET /directory/%00/counts` answered 500).
 */
export function registerRequestValueCheck(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    for (const [part, value] of [
      ['querystring', request.query],
      ['params', request.params],
      ['body', request.body],
    ] as const) {
      const found = unstorablePath(value);
      if (found) {
        throw new AppError('REQUEST_INVALID', {
          message: `The request is not valid: ${part} ${found.path} ${found.why}.`,
          details: { errors: [{ path: `${part}${found.path}`, message: found.why }] },
        });
      }
    }
  });
}
