/**
 * The contract of gatehouse's Microsoft Graph client (implemented in `graph-client.ts` on `fetch`). Actions, the
 * doctor's probes and the sync source call Graph only through this interface.
 *
 * Paths are relative to the version root (`/users/{id}`, `/groups/delta?$select=...`), or absolute URLs exactly as
 * Graph returned them (`@odata.nextLink`, `@odata.deltaLink`), which are followed verbatim.
 *
 * Failures are thrown as `AppError` with a GRAPH_* code (mapped from Graph's `error.code` and the HTTP status,
 * never from message text); `details` carries `{ status, graphCode, requestId, clientRequestId }` and, for
 * conflicts, `property`.
 */
export type GraphMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface GraphRequestOptions {
  /** JSON body (serialised by the client, with Content-Type set). */
  body?: unknown;
  /** Extra headers, e.g. `ConsistencyLevel: eventual`, `Prefer: odata.maxpagesize=200`. */
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

export interface GraphResponse<T = unknown> {
  status: number;
  /** Parsed JSON body, or undefined for 204. Callers parse it at the boundary (typebox). */
  body: T;
  headers: Headers;
  /** Graph's `request-id` response header (quote it to Microsoft support). */
  requestId?: string;
}

/** One page of a collection: its items and the link to follow next (if any). */
export interface GraphPage<T = unknown> {
  value: T[];
  nextLink?: string;
  deltaLink?: string;
  /** Resource units Graph (or the emulator) charged for this page (`x-ms-resource-unit`), when reported. */
  resourceUnits?: number;
}

export interface GraphBatchRequest {
  id: string;
  method: GraphMethod;
  /** Relative to the version root, without `/v1.0`. */
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  dependsOn?: string[];
}

export interface GraphBatchResponse {
  id: string;
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export interface GraphApi {
  request<T = unknown>(
    method: GraphMethod,
    pathOrUrl: string,
    options?: GraphRequestOptions,
  ): Promise<GraphResponse<T>>;
  /** Streams the pages of a collection or delta round, following `@odata.nextLink` until a page has none. */
  pages<T = unknown>(pathOrUrl: string, options?: GraphRequestOptions): AsyncIterable<GraphPage<T>>;
  /** Sends up to 20 requests as one `$batch`; inner 429s are retried; results are returned in request order. */
  batch(requests: GraphBatchRequest[], options?: { signal?: AbortSignal }): Promise<GraphBatchResponse[]>;
}
