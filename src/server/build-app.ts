import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import fastifyHelmet from '@fastify/helmet';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import { AppError } from '../core/errors.js';
import { API_DESCRIPTION, API_DOCS_THEME } from './api-docs-theme.js';
import { registerAuthHook } from './auth-hook.js';
import { BODY_LIMIT_BYTES, registerErrorHandler, sendError } from './error-handler.js';
import { registerMetrics } from './metrics.js';
import { fastifyTrustProxy, hostAllowlist, registerHostCheck } from './network-trust.js';
import { createRequestAuditor } from './request-audit.js';
import { registerRequestValueCheck } from './request-values.js';
import { defaultAccess, type RouteEntry } from './route-roles.js';
import { accountRoutes } from './routes/account-routes.js';
import { actionRoutes } from './routes/action-routes.js';
import { auditRoutes } from './routes/audit-routes.js';
import { authRoutes } from './routes/auth-routes.js';
import { connectionRoutes } from './routes/connection-routes.js';
import { consentRoutes } from './routes/consent-routes.js';
import { directoryRoutes } from './routes/directory-routes.js';
import { eventRoutes } from './routes/event-routes.js';
import { healthRoutes } from './routes/health-routes.js';
import { notificationRoutes } from './routes/notification-routes.js';
import { permissionRoutes } from './routes/permission-routes.js';
import { syncRoutes } from './routes/sync-routes.js';
import { tokenRoutes } from './routes/token-routes.js';
import { webhookRoutes } from './routes/webhook-routes.js';
import type { RouteDeps, ServerDeps } from './server-deps.js';
import { registerWebUi } from './web-ui.js';

export type GatehouseApp = FastifyInstance & { readonly routeTable: readonly RouteEntry[] };

const VERSION = '0.1.0';

/** Records every route with its access; a route that declares none (and has no default) is refused. */
export function trackRoutes(app: FastifyInstance, table: RouteEntry[]): void {
  app.addHook('onRoute', (route) => {
    const config = (route.config ?? {}) as { access?: RouteEntry['access'] };
    const access = config.access ?? defaultAccess(route.url);
    if (access === undefined) {
      throw new Error(`Route ${String(route.method)} ${route.url} declares no access (config.access).`);
    }
    route.config = { ...config, access } as typeof route.config;
    // The OpenAPI document says who may call each route.
    if (route.schema && !(route.schema as { hide?: boolean }).hide) {
      const schema = route.schema as { description?: string };
      const who = access === 'public' ? 'No login needed.' : `Needs the ${access} role (or higher).`;
      schema.description = schema.description ? `${schema.description} ${who}` : who;
    }
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD') table.push({ method, url: route.url, access });
    }
  });
}

async function registerSecurityHeaders(app: FastifyInstance): Promise<void> {
  await app.register(fastifyHelmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:'],
        // Helmet's default also allows any https: font; the UI serves its own (issue 12, finding 13).
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        frameAncestors: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    frameguard: { action: 'deny' },
    // HSTS only makes sense over https: set per request below (the embedded default is plain http on loopback).
    strictTransportSecurity: false,
  });
}

async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(fastifySwagger, {
    openapi: {
      info: { title: 'gatehouse', version: VERSION, description: API_DESCRIPTION },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer', description: 'An API token (`gatehouse accounts token create`).' },
          session: { type: 'apiKey', in: 'cookie', name: 'gh_session' },
        },
      },
      security: [{ bearer: [] }, { session: [] }],
    },
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/api/docs', staticCSP: false, ...API_DOCS_THEME });
  app.get('/api/openapi.json', { config: { access: 'viewer' }, schema: { hide: true } }, async () => app.swagger());
}

function registerNotFound(app: FastifyInstance, hasUi: boolean): void {
  app.setNotFoundHandler(async (request, reply) => {
    const wantsPage =
      request.method === 'GET' && !request.url.startsWith('/api') && !request.url.startsWith('/metrics');
    // Client-side routes of the UI (/connections, /sync, ...) get the UI's page, which shows the login when needed.
    if (hasUi && wantsPage) return reply.type('text/html').sendFile('index.html');
    const code = request.principal ? 'NOT_FOUND' : 'AUTH_REQUIRED';
    return sendError(request, reply, new AppError(code));
  });
}

/**
 * Builds the gatehouse HTTP app (no listening: tests use `inject`, `gatehouse serve` calls `listen`). Every route
 * declares who may call it; the route table it exposes drives the authorization-matrix test.
 */
export async function buildApp(deps: ServerDeps): Promise<GatehouseApp> {
  const app = Fastify({
    logger: false,
    genReqId: () => randomUUID(),
    trustProxy: fastifyTrustProxy(deps.trustProxy),
    bodyLimit: BODY_LIMIT_BYTES,
  }).withTypeProvider<TypeBoxTypeProvider>();
  const table: RouteEntry[] = [];
  trackRoutes(app, table);
  registerHostCheck(
    app,
    hostAllowlist({
      ...(deps.allowedHosts ? { allowedHosts: deps.allowedHosts } : {}),
      ...(deps.bindHost ? { bindHost: deps.bindHost } : {}),
      ...(deps.publicUrl ? { publicUrl: deps.publicUrl } : {}),
    }),
  );
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // Served over https (directly or through a trusted proxy): browsers must not fall back to http.
    if (request.protocol === 'https') reply.header('strict-transport-security', 'max-age=31536000; includeSubDomains');
    if (request.url.startsWith('/api/v1')) reply.header('cache-control', 'no-store');
  });
  registerErrorHandler(app, deps.logger);
  registerRequestValueCheck(app);
  await registerSecurityHeaders(app);
  await app.register(fastifyCookie);
  const audit = createRequestAuditor(deps.audit, deps.logger);
  registerAuthHook(app, deps.accounts, (request, error) =>
    audit(request, {
      action: 'auth.denied',
      target: `${request.method} ${request.routeOptions.url ?? ''}`,
      result: 'failed',
      errorCode: error.code,
    }),
  );
  const metrics = registerMetrics(app, deps.metrics ?? {});
  await registerOpenApi(app);
  const routeDeps: RouteDeps = { ...deps, auditLog: deps.audit, audit, metrics };
  await app.register(healthRoutes(routeDeps));
  await app.register(authRoutes(routeDeps), { prefix: '/api/v1' });
  await app.register(accountRoutes(routeDeps), { prefix: '/api/v1' });
  await app.register(tokenRoutes(routeDeps), { prefix: '/api/v1' });
  await app.register(auditRoutes(routeDeps), { prefix: '/api/v1' });
  for (const routes of [
    connectionRoutes,
    permissionRoutes,
    syncRoutes,
    directoryRoutes,
    actionRoutes,
    eventRoutes,
    webhookRoutes,
  ]) {
    await app.register(routes(routeDeps), { prefix: '/api/v1' });
  }
  await app.register(notificationRoutes(routeDeps), { prefix: '/api/v1' });
  await app.register(consentRoutes(routeDeps));
  const hasUi = await registerWebUi(app, deps.webRoot);
  registerNotFound(app, hasUi);
  await app.ready();
  return Object.assign(app, { routeTable: table as readonly RouteEntry[] });
}
