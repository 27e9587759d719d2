import { Type } from 'typebox';
import { findWritePattern, normalizeGraphPath } from '../connections/entra-id/graph-paths.js';
import { AppError } from '../core/errors.js';
import { defineAction } from './action.js';

const Method = Type.Union(['GET', 'POST', 'PATCH', 'PUT', 'DELETE'].map((m) => Type.Literal(m)));

/** Headers a caller may not set: the connection supplies authorization itself. */
const RESERVED_HEADERS = new Set(['authorization', 'host', 'content-length']);

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
    // Resolved and normalised first: every check below sees the path Graph will see (issue 12 finding 10).
    const target = normalizeGraphPath(input.path);
    if (method !== 'GET' && input.allowWrite !== true) {
      throw new AppError('ACTION_WRITE_NOT_ALLOWED', {
        message: `graph.request refused to send ${method} ${target.path}: writes were not allowed.`,
      });
    }
    // Writes only where the connection's admin allowed them (GraphWritePaths, default none): an operator cannot use
    // the app's full consent (issue 12 finding 14).
    if (method !== 'GET' && !findWritePattern(connection.graphWritePaths, method, target)) {
      throw new AppError('ACTION_GRAPH_WRITE_NOT_ALLOWED', {
        message: `graph.request may not send ${method} ${target.path} on connection '${connection.name}': no GraphWritePaths entry allows it.`,
        details: { method, path: target.path, allowed: connection.graphWritePaths.map((p) => p.text) },
      });
    }
    const headers = Object.fromEntries(
      Object.entries(input.headers ?? {}).filter(([name]) => !RESERVED_HEADERS.has(name.toLowerCase())),
    );
    const response = await connection.graph.request(method, `${target.path}${target.query}`, {
      headers,
      ...(input.body !== undefined ? { body: input.body } : {}),
    });
    return response.body === undefined ? { status: response.status } : { status: response.status, body: response.body };
  },
});
