import { Type } from 'typebox';
import { AppError } from '../core/errors.js';
import { defineAction } from './action.js';

const Method = Type.Union(['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].map((m) => Type.Literal(m)));

/** Headers a caller may not set: the connection supplies authorization itself. */
const RESERVED_HEADERS = new Set(['authorization', 'host', 'content-length']);

function assertRelativePath(path: string): void {
  // An absolute URL (or a protocol-relative one) could carry the connection's bearer token to another host.
  if (!path.startsWith('/') || path.startsWith('//') || /[\r\n]/.test(path) || /^\/(v1\.0|beta)\//.test(path)) {
    throw new AppError('ACTION_INVALID_INPUT', {
      message: `The path '${path}' is not a Graph path relative to the version root.`,
      hint: 'Give a path such as /users?$top=5 or /groups/{id}/members (no host, no /v1.0).',
      details: { errors: [{ path: '/path', message: 'must start with / and name no host or version' }] },
    });
  }
}

export const graphRequest = defineAction({
  name: 'graph.request',
  summary: 'Send any Microsoft Graph v1.0 request through the connection; GET unless writes are allowed explicitly.',
  write: false,
  permissions: [],
  input: Type.Object(
    {
      method: Type.Optional(Method),
      path: Type.String({ minLength: 1, description: 'Relative to the version root, e.g. /users?$top=5.' }),
      body: Type.Optional(Type.Unknown({ description: 'JSON body for POST, PATCH and PUT.' })),
      headers: Type.Optional(Type.Record(Type.String(), Type.String(), { description: 'e.g. ConsistencyLevel.' })),
      allowWrite: Type.Optional(Type.Boolean({ description: 'Must be true for POST, PATCH, PUT and DELETE.' })),
    },
    { additionalProperties: false },
  ),
  output: Type.Object({ status: Type.Integer(), body: Type.Optional(Type.Unknown()) }),
  writes: (input) => (input.method ?? 'GET') !== 'GET',
  auditOf: (input) => ({ target: input.path, details: { method: input.method ?? 'GET' } }),
  async run({ connection }, input) {
    const method = (input.method ?? 'GET') as 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
    if (method !== 'GET' && input.allowWrite !== true) {
      throw new AppError('ACTION_WRITE_NOT_ALLOWED', {
        message: `graph.request refused to send ${method} ${input.path}: writes were not allowed.`,
      });
    }
    assertRelativePath(input.path);
    const headers = Object.fromEntries(
      Object.entries(input.headers ?? {}).filter(([name]) => !RESERVED_HEADERS.has(name.toLowerCase())),
    );
    const response = await connection.graph.request(method, input.path, {
      headers,
      ...(input.body !== undefined ? { body: input.body } : {}),
    });
    return response.body === undefined ? { status: response.status } : { status: response.status, body: response.body };
  },
});
