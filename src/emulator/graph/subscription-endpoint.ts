import type { EmulatorRequest, EmulatorResponse, RequestIdentity } from '../emulator-http.js';
import { authenticate } from './bearer-auth.js';
import type { RouteResult } from './graph-context.js';
import { GraphError, graphDate } from './graph-error.js';
import { type GraphDeps, handleGraph } from './graph-handler.js';
import type { SubscriptionHub } from './subscriptions.js';

const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';

/** Whether a request goes to `/v1.0/subscriptions…` (answered asynchronously: creation waits for the handshake). */
export function isSubscriptionRequest(req: EmulatorRequest): boolean {
  const path = req.url.pathname;
  return path === '/v1.0/subscriptions' || path.startsWith('/v1.0/subscriptions/');
}

/**
 * `/v1.0/subscriptions…` through the same front door as every Graph request (faults, bearer validation, Graph's
 * headers), then the hub's route; creating (and changing the URL of) a subscription waits for the validation
 * request, so that part is awaited here and its failure rendered like any Graph error.
 */
export async function handleSubscriptionRequest(
  req: EmulatorRequest,
  deps: GraphDeps,
  hub: SubscriptionHub,
  who: RequestIdentity,
): Promise<EmulatorResponse> {
  const segments = req.url.pathname.split('/').slice(2).filter(Boolean).map(decodeURIComponent);
  let pending: Promise<RouteResult> | undefined;
  const first = handleGraph(req, segments, deps, who, (inner) => {
    // Already verified by handleGraph; decoded again for the roles and the app id.
    const claims = authenticate(inner.headers.authorization, {
      signer: deps.signer,
      tenant: deps.tenant,
      nowMs: deps.dir.clock.nowMs(),
    });
    const result = hub.route(inner, segments, claims);
    if (result instanceof Promise) {
      pending = result;
      return { status: 0 };
    }
    return result;
  });
  if (!pending) return first;
  try {
    const result: RouteResult = await pending;
    return {
      status: result.status,
      headers: {
        ...first.headers,
        ...(result.body === undefined ? {} : { 'content-type': JSON_TYPE }),
        ...result.headers,
      },
      body: result.body,
    };
  } catch (error) {
    if (!(error instanceof GraphError)) throw error;
    who.errorCode = error.code;
    return {
      status: error.status,
      headers: { ...first.headers, 'content-type': JSON_TYPE, ...error.headers },
      body: {
        error: {
          code: error.code,
          message: error.message,
          innerError: {
            date: graphDate(deps.dir.clock.now()),
            'request-id': first.headers['request-id'],
            'client-request-id': first.headers['client-request-id'],
          },
        },
      },
    };
  }
}
