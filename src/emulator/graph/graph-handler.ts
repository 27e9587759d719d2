import type { EmulatorRequest, EmulatorResponse, RequestIdentity } from '../emulator-http.js';
import { type FaultPlan, retryAfterOf } from '../fault-plan.js';
import { randomGuid } from '../seeded-ids.js';
import type { TokenSigner } from '../token-signer.js';
import { authenticate, WWW_AUTHENTICATE } from './bearer-auth.js';
import type { RouteResult } from './graph-context.js';
import { GraphError, graphDate } from './graph-error.js';
import { type RouteDeps, routeGraph } from './graph-router.js';
import type { GraphThrottle } from './throttle.js';

export interface GraphDeps extends RouteDeps {
  readonly signer: TokenSigner;
  readonly faults: FaultPlan;
  readonly throttle: GraphThrottle;
  /** Retry-After of an injected 429 without a fixed one: a value, null (no header), or undefined (the default). */
  readonly retryAfter?: () => string | null | undefined;
}

const JSON_TYPE = 'application/json;odata.metadata=minimal;odata.streaming=true;IEEE754Compatible=false;charset=utf-8';
const FAULT_CODES: Record<number, [string, string]> = {
  429: ['TooManyRequests', 'Too many requests.'],
  503: ['serviceNotAvailable', 'Service is temporarily unavailable. Please retry later.'],
  504: ['UnknownError', 'The request timed out.'],
  500: ['generalException', 'General exception while processing.'],
};

/**
 * One Graph request under /v1.0: injected faults, bearer validation, throttling, routing, and Graph's headers
 * (`request-id`, `client-request-id`, `x-ms-ags-diagnostic`, `x-ms-resource-unit`) on every answer.
 */
export function handleGraph(
  req: EmulatorRequest,
  segments: string[],
  deps: GraphDeps,
  who: RequestIdentity,
  /** Replaces routing and throttling: `$batch` is authenticated as a whole, its items are charged one by one. */
  route?: (req: EmulatorRequest) => RouteResult,
): EmulatorResponse {
  const requestId = randomGuid();
  const clientRequestId = req.headers['client-request-id'] ?? requestId;
  const headers: Record<string, string> = {
    'request-id': requestId,
    'client-request-id': clientRequestId,
    'x-ms-ags-diagnostic': JSON.stringify({
      ServerInfo: { DataCenter: 'Local', Slice: 'E', Ring: '0', ScaleUnit: '000', RoleInstance: 'EMULATOR' },
    }),
    'odata-version': '4.0',
    'strict-transport-security': 'max-age=31536000',
  };
  const fail = (error: GraphError): EmulatorResponse => {
    who.errorCode = error.code;
    const body = {
      error: {
        code: error.code,
        message: error.message,
        ...(error.details ? { details: error.details } : {}),
        innerError: {
          date: graphDate(deps.dir.clock.now()),
          'request-id': requestId,
          'client-request-id': clientRequestId,
        },
      },
    };
    return { status: error.status, headers: { ...headers, 'content-type': JSON_TYPE, ...error.headers }, body };
  };
  const finish = (result: RouteResult): EmulatorResponse => ({
    status: result.status,
    headers: { ...headers, ...(result.body === undefined ? {} : { 'content-type': JSON_TYPE }), ...result.headers },
    body: result.body,
  });
  try {
    const fault = deps.faults.take({ method: req.method, path: req.url.pathname + req.url.search });
    if (fault) {
      const [code, message] = FAULT_CODES[fault.status] ?? ['UnknownError', 'Injected failure.'];
      const varied = fault.status === 429 && fault.retryAfterSeconds === undefined ? deps.retryAfter?.() : undefined;
      const retryAfter = varied === undefined ? retryAfterOf(fault) : (varied ?? undefined);
      throw new GraphError(
        fault.status,
        fault.code ?? code,
        message,
        undefined,
        retryAfter === undefined ? {} : { 'retry-after': String(retryAfter) },
      );
    }
    let claims: ReturnType<typeof authenticate>;
    try {
      claims = authenticate(req.headers.authorization, {
        signer: deps.signer,
        tenant: deps.tenant,
        nowMs: deps.dir.clock.nowMs(),
      });
    } catch (error) {
      if (error instanceof GraphError) error.headers['www-authenticate'] = WWW_AUTHENTICATE;
      throw error;
    }
    who.clientId = claims.appid;
    if (route) return finish(route(req));
    const verdict = deps.throttle.charge(claims.appid, req.method, req.url.pathname, req.url.searchParams);
    headers['x-ms-resource-unit'] = String(verdict.cost);
    if (verdict.usedFraction !== undefined) headers['x-ms-throttle-limit-percentage'] = verdict.usedFraction.toFixed(1);
    if (verdict.retryAfterSeconds !== undefined) {
      const scope = `Tenant_Application/ReadWrite/${claims.appid}/${deps.tenant.id}`;
      throw new GraphError(429, 'TooManyRequests', 'Too many requests.', undefined, {
        'retry-after': String(verdict.retryAfterSeconds),
        'x-ms-throttle-scope': scope,
        'x-ms-throttle-information': verdict.information ?? 'ResourceUnitLimitExceeded',
      });
    }
    return finish(routeGraph(req, segments, claims, deps));
  } catch (error) {
    if (error instanceof GraphError) return fail(error);
    throw error;
  }
}
