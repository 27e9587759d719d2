/**
 * A Graph failure (https://learn.microsoft.com/graph/errors): thrown by route handlers, rendered by the router as
 * `{ error: { code, message, innerError: { date, request-id, client-request-id }, details? } }`.
 */
export class GraphError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: { code: string; target: string; message: string }[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export const graphErrors = {
  notFound: (id: string) =>
    new GraphError(
      404,
      'Request_ResourceNotFound',
      `Resource '${id}' does not exist or one of its queried reference-property objects are not present.`,
    ),
  noRoute: (path: string) =>
    new GraphError(
      400,
      'BadRequest',
      `Resource not found for the segment '${path.split('/').filter(Boolean).pop() ?? path}'.`,
    ),
  badRequest: (message: string) => new GraphError(400, 'Request_BadRequest', message),
  unsupportedQuery: (message: string) => new GraphError(400, 'Request_UnsupportedQuery', message),
  denied: () =>
    new GraphError(403, 'Authorization_RequestDenied', 'Insufficient privileges to complete the operation.'),
  methodNotAllowed: () =>
    new GraphError(405, 'Request_BadRequest', 'Specified HTTP method is not allowed for the request target.'),
  invalidToken: (message: string) => new GraphError(401, 'InvalidAuthenticationToken', message),
  invalidPageSize: (value: string) =>
    new GraphError(
      400,
      'Request_BadRequest',
      `Invalid page size specified: '${value}'. Must be between 1 and 999 inclusive.`,
    ),
};

/** innerError.date: Graph's format has no fraction and no zone ("2024-01-01T00:00:00"). */
export function graphDate(date: Date): string {
  return date.toISOString().slice(0, 19);
}
