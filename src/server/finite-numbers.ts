import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/errors.js';

/** The first path to a number that is not finite (Infinity from `?offset=Infinity` or a JSON `1e999`), if any. */
export function nonFinitePath(value: unknown, path = '', depth = 0): string | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path || '/';
  if (value === null || typeof value !== 'object' || depth > 32) return undefined;
  for (const [key, inner] of Object.entries(value)) {
    const found = nonFinitePath(inner, `${path}/${key}`, depth + 1);
    if (found) return found;
  }
  return undefined;
}

/**
 * Refuses non-finite numbers after schema validation: the validator takes `Infinity` as an integer within any
 * maximum (found by the REST fuzzer: `GET /directory/{name}/users?offset=Infinity` answered 500).
 */
export function registerFiniteNumberCheck(app: FastifyInstance): void {
  app.addHook('preHandler', async (request) => {
    for (const [part, value] of [
      ['querystring', request.query],
      ['params', request.params],
      ['body', request.body],
    ] as const) {
      const path = nonFinitePath(value);
      if (path) {
        throw new AppError('REQUEST_INVALID', {
          message: `The request is not valid: ${part} ${path} must be a finite number.`,
          details: { errors: [{ path: `${part}${path}`, message: 'must be a finite number' }] },
        });
      }
    }
  });
}
