import { AadstsError, aadsts, aadstsBody } from './aadsts-error.js';
import type { AppRegistry } from './app-registry.js';
import { type EmulatorRequest, type EmulatorResponse, json } from './emulator-http.js';
import { randomGuid } from './seeded-ids.js';
import { resolveTenantSegment, type TenantIdentity } from './tenant-identity.js';

/** `emulator.consent`: what an administrator does on Microsoft's admin-consent page, scripted for tests. */
export interface EmulatorConsent {
  /** Registers a Web redirect URI on the app (Authentication page); consent redirects only to registered ones. */
  registerRedirectUri(clientId: string, uri: string): void;
  /** What the next administrator decides (default: grant). */
  nextDecision(decision: 'grant' | 'deny'): void;
}

export interface AdminConsentDeps {
  readonly apps: AppRegistry;
  readonly tenant: TenantIdentity;
  readonly now: () => Date;
}

const PATH = /^\/([^/]+)\/(v2\.0\/)?adminconsent\/?$/i;

/**
 * The admin-consent endpoints (facts G.3, https://learn.microsoft.com/entra/identity-platform/v2-admin-consent):
 * `/{tenant}/v2.0/adminconsent` (client_id, scope `…/.default`, redirect_uri required, state) and the v1
 * `/{tenant}/adminconsent`. The administrator's sign-in is skipped: the scripted decision grants (the app's
 * application permissions become consented) or denies (`error=consent_required`, with `admin_consent=True` as
 * Entra sends it on errors too). Errors before the redirect are answered in place, as Entra's error page does.
 */
export function createAdminConsent(deps: AdminConsentDeps) {
  const redirects = new Map<string, Set<string>>();
  const decisions: ('grant' | 'deny')[] = [];
  const api: EmulatorConsent = {
    registerRedirectUri(clientId, uri) {
      const app = deps.apps.require(clientId);
      redirects.set(app.clientId, new Set([...(redirects.get(app.clientId) ?? []), uri]));
    },
    nextDecision(decision) {
      decisions.push(decision);
    },
  };
  const fail = (error: AadstsError) => json(error.status, aadstsBody(error, deps.now(), undefined));
  const handle = (req: EmulatorRequest): EmulatorResponse | undefined => {
    const match = PATH.exec(req.url.pathname);
    if (!match || req.method !== 'GET') return undefined;
    const v2 = match[2] !== undefined;
    const q = req.url.searchParams;
    try {
      resolveTenantSegment(match[1] as string, deps.tenant);
    } catch (error) {
      if (error instanceof AadstsError) return fail(error);
      throw error;
    }
    const clientId = q.get('client_id');
    if (!clientId) return fail(aadsts.missingParameter('client_id'));
    const app = deps.apps.get(clientId);
    if (!app) return fail(aadsts.appNotFound(clientId, deps.tenant.displayName));
    const scope = q.get('scope');
    if (v2 && !scope) return fail(aadsts.missingParameter('scope'));
    const redirectUri = q.get('redirect_uri');
    if (v2 && !redirectUri) return fail(aadsts.missingParameter('redirect_uri'));
    if (redirectUri && !redirects.get(app.clientId)?.has(redirectUri)) {
      return fail(
        new AadstsError(
          400,
          'invalid_request',
          50011,
          `The redirect URI '${redirectUri}' specified in the request does not match the redirect URIs configured for the application '${app.clientId}'. Make sure the redirect URI sent in the request matches one added to your application in the Azure portal.`,
        ),
      );
    }
    const decision = decisions.shift() ?? 'grant';
    const answer = new URLSearchParams({ admin_consent: 'True' });
    if (decision === 'grant') {
      app.adminConsented = true;
      answer.set('tenant', deps.tenant.id);
      if (scope) answer.set('scope', scope);
    } else {
      answer.set('error', 'consent_required');
      answer.set(
        'error_description',
        `AADSTS65004: The resource owner or authorization server denied the request.\r\nTrace ID: ${randomGuid()}\r\nCorrelation ID: ${randomGuid()}\r\nTimestamp: ${deps.now().toISOString()}`,
      );
    }
    const state = q.get('state');
    if (state !== null) answer.set('state', state);
    if (!redirectUri) return json(200, Object.fromEntries(answer));
    const target = new URL(redirectUri);
    for (const [key, value] of answer) target.searchParams.set(key, value);
    return { status: 302, headers: { location: target.toString() }, body: undefined };
  };
  return { api, handle };
}
