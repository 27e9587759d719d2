import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { GraphError, graphErrors } from './graph-error.js';

/** Parsed system query options of one request. Names are matched case-insensitively, with or without `$`. */
export interface ODataQuery {
  select: string[] | undefined;
  top: number | undefined;
  filter: string | undefined;
  search: string | undefined;
  count: boolean;
  skiptoken: string | undefined;
  deltatoken: string | undefined;
  expand: string | undefined;
  orderby: string | undefined;
}

export function parseQuery(params: URLSearchParams): ODataQuery {
  const get = (name: string) => {
    for (const [key, value] of params) if (key.toLowerCase() === `$${name}` || key.toLowerCase() === name) return value;
    return undefined;
  };
  const select = get('select');
  const top = get('top');
  let topValue: number | undefined;
  if (top !== undefined) {
    topValue = Number(top);
    if (!/^\d+$/.test(top) || topValue < 1 || topValue > 999) throw graphErrors.invalidPageSize(top);
  }
  return {
    select: select
      ? select
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : undefined,
    top: topValue,
    filter: get('filter'),
    search: get('search'),
    count: get('count')?.toLowerCase() === 'true',
    skiptoken: get('skiptoken'),
    deltatoken: get('deltatoken'),
    expand: get('expand'),
    orderby: get('orderby'),
  };
}

/**
 * Opaque paging/delta state: AES-GCM sealed JSON, so clients cannot read or forge it (they must follow links
 * verbatim, as with Graph) and a damaged token is refused instead of misread.
 */
const TOKEN_KEY = randomBytes(32);

export function encodeToken(state: object): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', TOKEN_KEY, iv);
  const sealed = Buffer.concat([cipher.update(JSON.stringify(state), 'utf8'), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), sealed]).toString('base64url');
}

export function decodeToken<T>(token: string, isValid: (value: unknown) => value is T): T {
  try {
    const raw = Buffer.from(token, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', TOKEN_KEY, raw.subarray(0, 12));
    decipher.setAuthTag(raw.subarray(12, 28));
    const json = Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
    const value: unknown = JSON.parse(json);
    if (isValid(value)) return value;
  } catch {}
  throw new GraphError(400, 'Request_BadRequest', 'The specified skip token or delta token is not valid.');
}

/** `Prefer: odata.maxpagesize=N` (https://learn.microsoft.com/graph/paging). */
export function preferredPageSize(prefer: string | undefined): number | undefined {
  const match = /odata\.maxpagesize\s*=\s*(\d+)/i.exec(prefer ?? '');
  const n = match ? Number(match[1]) : undefined;
  return n && n > 0 ? n : undefined;
}

/** Advanced queries need `ConsistencyLevel: eventual` (https://learn.microsoft.com/graph/aad-advanced-queries). */
export function isEventual(headers: Readonly<Record<string, string | undefined>>): boolean {
  return headers.consistencylevel?.toLowerCase() === 'eventual';
}
