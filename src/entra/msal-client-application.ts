import { ConfidentialClientApplication, type Configuration, LogLevel } from '@azure/msal-node';
import { CLOUDS } from '../connections/entra-id/clouds.js';
import type { EntraSettings } from '../connections/entra-id/entra-settings.js';
import { AppError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { type AssertionFileSource, createAssertionFileSource } from './assertion-file-source.js';
import { TokenNetworkClient } from './network-client.js';

/** Login hosts whose endpoints msal-node knows without any discovery request (facts A.1.2). */
const MICROSOFT_LOGIN_HOSTS = new Set([
  'login.microsoftonline.com',
  'login.microsoftonline.us',
  'login.partner.microsoftonline.cn',
  'login.chinacloudapi.cn',
  ...Object.values(CLOUDS).map((cloud) => new URL(cloud.authorityHost).host),
]);

export interface MsalClientApplication {
  readonly app: ConfidentialClientApplication;
  /** Keeps each request's raw failure; read it with the correlation id of msal's error. */
  readonly network: TokenNetworkClient;
  /** The https authority msal was configured with (for diagnostics; never contains a secret). */
  readonly authority: string;
  /** For a ClientAssertionFile connection: the file read at every request, and what it presented last. */
  readonly assertion?: AssertionFileSource;
}

export interface MsalClientApplicationOptions {
  readonly logger: Logger;
  /** Token request timeout (default 10 000 ms). */
  readonly timeoutMs?: number;
}

/**
 * Builds one msal ConfidentialClientApplication for a connection (facts A.1, design recommendation 1):
 * - a Microsoft login host → `https://{host}/{tenant}`, msal needs no discovery;
 * - any other host (AuthorityHost override) → an https authority for that host:port with `knownAuthorities` and
 *   an OIDC document built here as `authorityMetadata`, so msal sends only the token POST (facts A.1.5);
 * - an `http://` override on a loopback address → the same https authority, and the network client sends plain
 *   http underneath (msal refuses http authorities, facts A.1.1). http anywhere else is refused.
 */
export function createMsalClientApplication(
  settings: EntraSettings,
  options: MsalClientApplicationOptions,
): MsalClientApplication {
  const host = new URL(settings.authorityHost);
  const httpsOrigin = `https://${host.host}`;
  const authority = `${httpsOrigin}/${encodeURIComponent(settings.tenantId)}`;
  const network = new TokenNetworkClient({
    ...(host.protocol === 'http:' ? { rewrite: { from: httpsOrigin, to: plainHttpOrigin(host) } } : {}),
    ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
  });
  const isMicrosoftHost = host.protocol === 'https:' && MICROSOFT_LOGIN_HOSTS.has(host.host);
  const assertion =
    settings.credential.kind === 'assertionFile'
      ? createAssertionFileSource(settings.credential.path, { connectionName: settings.connectionName })
      : undefined;
  const configuration: Configuration = {
    auth: {
      clientId: settings.clientId,
      authority,
      ...credentialOptions(settings, assertion),
      ...(isMicrosoftHost
        ? {}
        : { knownAuthorities: [host.host], authorityMetadata: JSON.stringify(openIdConfiguration(authority)) }),
    },
    system: {
      networkClient: network,
      loggerOptions: {
        piiLoggingEnabled: false,
        logLevel: LogLevel.Warning,
        // msal's warnings carry no secrets with PII logging off; they go to debug, our own events log above.
        loggerCallback: (_level, message) => options.logger.debug({ component: 'msal', msal: message }),
      },
    },
  };
  return {
    app: new ConfidentialClientApplication(configuration),
    network,
    authority,
    ...(assertion ? { assertion } : {}),
  };
}

function credentialOptions(
  settings: EntraSettings,
  assertion: AssertionFileSource | undefined,
): Pick<Configuration['auth'], 'clientSecret' | 'clientCertificate' | 'clientAssertion'> {
  const credential = settings.credential;
  if (credential.kind === 'secret') return { clientSecret: credential.secret.reveal() };
  if (credential.kind === 'certificate') {
    return {
      clientCertificate: {
        thumbprintSha256: credential.thumbprintSha256,
        privateKey: credential.privateKey.reveal(),
      },
    };
  }
  // msal calls the callback on every request, so the file is read anew each time (facts H.3).
  if (assertion) return { clientAssertion: assertion.callback };
  throw new AppError('ENTRA_TOKEN_ERROR', {
    message: `Connection '${settings.connectionName}' uses a managed identity, which has no client credential for msal's confidential client.`,
    details: { credential: credential.kind },
  });
}

/** http is only ever sent to the machine itself (an emulator or a local proxy), never across a network. */
function plainHttpOrigin(host: URL): string {
  const name = host.hostname.replace(/^\[|\]$/g, '');
  const loopback = name === 'localhost' || name === '::1' || /^127(\.\d{1,3}){3}$/.test(name);
  if (!loopback) {
    throw new AppError('CONNECTION_INVALID_PARAMETER', {
      message: `AuthorityHost ${host.origin} uses http on a host that is not loopback; only https is allowed there.`,
      details: { key: 'AuthorityHost' },
    });
  }
  return host.origin;
}

/** The OIDC discovery document msal would otherwise fetch: only the fields msal checks (facts A.1.4). */
function openIdConfiguration(authority: string): Record<string, unknown> {
  return {
    issuer: `${authority}/v2.0`,
    token_endpoint: `${authority}/oauth2/v2.0/token`,
    authorization_endpoint: `${authority}/oauth2/v2.0/authorize`,
    end_session_endpoint: `${authority}/oauth2/v2.0/logout`,
    jwks_uri: `${authority}/discovery/v2.0/keys`,
    response_types_supported: ['code', 'id_token', 'token'],
    token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
  };
}
