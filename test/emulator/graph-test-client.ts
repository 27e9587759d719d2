import type { Emulator } from '../../src/emulator/index.js';

/**
 * A bare Graph caller for the emulator tests: a token straight from the token endpoint (msal is exercised in
 * token-endpoint.test.ts) and fetch. Deliberately not gatehouse's Graph client, so the two cannot err together.
 */
export async function tokenFor(emulator: Emulator, clientId: string, secret: string): Promise<string> {
  const res = await fetch(`${emulator.url}/${emulator.tenant.id}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      client_id: clientId,
      client_secret: secret,
      scope: 'https://graph.microsoft.com/.default',
      grant_type: 'client_credentials',
    }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!body.access_token) throw new Error(`no token: ${JSON.stringify(body)}`);
  return body.access_token;
}

export interface GraphReply<T = Record<string, unknown>> {
  status: number;
  headers: Headers;
  body: T;
}

export type GraphCall = <T = Record<string, unknown>>(
  method: string,
  pathOrUrl: string,
  options?: { body?: unknown; headers?: Record<string, string> },
) => Promise<GraphReply<T>>;

/** Calls `/v1.0{path}` (or an absolute link as returned) with the given token. */
export function graphCaller(emulator: Emulator, token: string): GraphCall {
  return async <T>(
    method: string,
    pathOrUrl: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ) => {
    const url = pathOrUrl.startsWith('http') ? pathOrUrl : `${emulator.url}/v1.0${pathOrUrl}`;
    const res = await fetch(url, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
        ...options.headers,
      },
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, body: (text ? JSON.parse(text) : undefined) as T };
  };
}

export async function defaultCaller(emulator: Emulator): Promise<GraphCall> {
  return graphCaller(
    emulator,
    await tokenFor(emulator, emulator.connection.ClientID, emulator.connection.ClientSecret),
  );
}

export interface DeltaRound {
  pages: Record<string, unknown>[][];
  items: Record<string, unknown>[];
  deltaLink: string;
}

/** Follows nextLinks until the deltaLink, keeping every page. */
export async function walkDelta(call: GraphCall, start: string, headers?: Record<string, string>): Promise<DeltaRound> {
  const pages: Record<string, unknown>[][] = [];
  let link: string | undefined = start;
  for (let guard = 0; link && guard < 10_000; guard++) {
    const reply: GraphReply = await call('GET', link, { headers });
    if (reply.status !== 200) throw new Error(`delta page failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    const value = reply.body.value as Record<string, unknown>[];
    pages.push(value);
    const next = reply.body['@odata.nextLink'] as string | undefined;
    const delta = reply.body['@odata.deltaLink'] as string | undefined;
    if (delta) return { pages, items: pages.flat(), deltaLink: delta };
    link = next;
  }
  throw new Error('delta round did not end');
}
