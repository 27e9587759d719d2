import type { EmulatorRequest, EmulatorResponse } from '../emulator-http.js';
import { GraphError } from './graph-error.js';

interface BatchItem {
  id: string;
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: unknown;
  dependsOn?: string[];
}

export type InnerDispatch = (req: EmulatorRequest, item: BatchItem) => EmulatorResponse;

/**
 * POST /v1.0/$batch (https://learn.microsoft.com/graph/json-batching, facts C.7): ≤ 20 requests with unique ids,
 * URLs relative to the version root, Content-Type with a body, fully parallel or fully sequential `dependsOn`
 * (anything else is refused), 424 for requests whose dependency failed. Each inner request is authenticated,
 * throttled and fault-injected on its own.
 */
export function runBatch(
  req: EmulatorRequest,
  dispatchInner: InnerDispatch,
  /** Reorders the responses (realism `shuffleBatchResponses`: Graph answers in any order, matched by `id`). */
  order?: <T>(responses: T[]) => T[],
): { status: number; body: unknown } {
  const items = parseItems(req);
  const ids = new Set<string>();
  for (const item of items) {
    if (ids.has(item.id)) throw bad(`Batch request ids must be unique. Duplicate id: '${item.id}'.`);
    ids.add(item.id);
  }
  const sequential = items.some((i) => i.dependsOn && i.dependsOn.length > 0);
  if (sequential) {
    items.forEach((item, index) => {
      const deps = item.dependsOn ?? [];
      for (const dep of deps) if (!ids.has(dep)) throw bad(`Request '${item.id}' depends on unknown request '${dep}'.`);
      const chained = index === 0 ? deps.length === 0 : deps.length === 1 && deps[0] === items[index - 1]?.id;
      if (!chained) throw bad('Batch should be either fully sequential or fully parallel');
    });
  }
  const statuses = new Map<string, number>();
  const responses = items.map((item) => {
    const failedDep = (item.dependsOn ?? []).find((d) => (statuses.get(d) ?? 0) >= 400);
    if (failedDep !== undefined) {
      statuses.set(item.id, 424);
      return {
        id: item.id,
        status: 424,
        headers: { 'content-type': 'application/json' },
        body: {
          error: { code: 'FailedDependency', message: `The request with id '${failedDep}' it depends on failed.` },
        },
      };
    }
    const inner = innerRequest(req, item);
    const response = inner instanceof GraphError ? errorResponse(inner) : dispatchInner(inner, item);
    statuses.set(item.id, response.status);
    const headers: Record<string, string> = {};
    for (const name of [
      'content-type',
      'retry-after',
      'location',
      'x-ms-throttle-scope',
      'x-ms-throttle-information',
    ]) {
      const value = response.headers[name];
      if (value !== undefined)
        headers[name === 'content-type' ? 'Content-Type' : name === 'retry-after' ? 'Retry-After' : name] = value;
    }
    return {
      id: item.id,
      status: response.status,
      headers,
      ...(response.body === undefined ? {} : { body: response.body }),
    };
  });
  return { status: 200, body: { responses: order ? order(responses) : responses } };
}

function parseItems(req: EmulatorRequest): BatchItem[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(req.body.toString('utf8'));
  } catch {
    throw bad('Invalid batch payload format.');
  }
  const requests = (parsed as { requests?: unknown })?.requests;
  if (!Array.isArray(requests) || requests.length === 0) throw bad('Invalid batch payload format.');
  if (requests.length > 20) throw bad('Too many requests in the batch. The maximum is 20.');
  return requests.map((r: unknown) => {
    const item = r as Partial<BatchItem>;
    if (typeof item?.id !== 'string' || typeof item.method !== 'string' || typeof item.url !== 'string')
      throw bad('Invalid batch payload format: every request needs id, method and url.');
    if (
      item.dependsOn !== undefined &&
      (!Array.isArray(item.dependsOn) || item.dependsOn.some((d) => typeof d !== 'string'))
    )
      throw bad(`Invalid dependsOn in request '${item.id}'.`);
    return item as BatchItem;
  });
}

/** The inner request, or the per-item error Graph answers for a malformed item. */
function innerRequest(outer: EmulatorRequest, item: BatchItem): EmulatorRequest | GraphError {
  const headers: Record<string, string | undefined> = {
    authorization: outer.headers.authorization,
    'client-request-id': outer.headers['client-request-id'],
  };
  for (const [name, value] of Object.entries(item.headers ?? {})) headers[name.toLowerCase()] = value;
  if (item.body !== undefined && !headers['content-type'])
    return new GraphError(
      400,
      'BadRequest',
      `Write request id : ${item.id} does not contain Content-Type header or body.`,
    );
  if (/^https?:/i.test(item.url))
    return new GraphError(400, 'BadRequest', 'Invalid request URI: batch request URLs must be relative.');
  const relative = item.url.startsWith('/') ? item.url : `/${item.url}`;
  const body =
    item.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(typeof item.body === 'string' ? item.body : JSON.stringify(item.body));
  return { method: item.method.toUpperCase(), url: new URL(`/v1.0${relative}`, outer.url.origin), headers, body };
}

function errorResponse(error: GraphError): EmulatorResponse {
  return {
    status: error.status,
    headers: { 'content-type': 'application/json' },
    body: { error: { code: error.code, message: error.message } },
  };
}

const bad = (message: string) => new GraphError(400, 'BadRequest', message);
