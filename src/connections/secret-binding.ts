import { AppError } from '../core/errors.js';
import type { Connection, StoredParameter } from './connection.js';
import { CLOUDS, type CloudName } from './entra-id/clouds.js';
import type { SecretCipher } from './ports.js';

/**
 * Where a connection's secrets may be sent (issue 12 finding 1). Every secret envelope is sealed for a binding that
 * names the connection id, the parameter and these endpoints; when any of them changes (update, import, copy, or a
 * row edited in the database) the stored secret no longer opens until it is entered again.
 */
export interface SecretEndpoints {
  readonly cloud: string;
  /** Origin of the login host the secret (or a client assertion signed with the key) is sent to. */
  readonly authorityHost: string;
  /** Origin of the Graph host the tokens obtained with it are sent to. */
  readonly graphEndpoint: string;
}

type Parameters = readonly Pick<StoredParameter, 'key' | 'secret'>[];

function plain(parameters: Parameters, key: string): string | undefined {
  const found = parameters.find((p) => p.key === key) as StoredParameter | undefined;
  return found && !found.secret ? found.value : undefined;
}

/** The endpoints a connection's parameters name, the cloud's defaults applied (the same as the Entra settings). */
export function endpointsOf(parameters: Parameters): SecretEndpoints {
  const cloud = plain(parameters, 'Cloud') ?? 'Global';
  const defaults = (CLOUDS as Record<string, (typeof CLOUDS)[CloudName] | undefined>)[cloud];
  return {
    cloud,
    authorityHost: plain(parameters, 'AuthorityHost') ?? defaults?.authorityHost ?? '',
    graphEndpoint: plain(parameters, 'GraphEndpoint') ?? defaults?.graphEndpoint ?? '',
  };
}

/** The binding text a secret parameter of this connection is sealed for. */
export function secretBinding(connectionId: string, key: string, parameters: Parameters): string {
  const { cloud, authorityHost, graphEndpoint } = endpointsOf(parameters);
  return JSON.stringify(['gatehouse-connection-secret/1', connectionId, key, cloud, authorityHost, graphEndpoint]);
}

export function sameEndpoints(a: SecretEndpoints, b: SecretEndpoints): boolean {
  return a.cloud === b.cloud && a.authorityHost === b.authorityHost && a.graphEndpoint === b.graphEndpoint;
}

/** Microsoft's login and Graph hosts of every national cloud (and msal's older China login host). */
const MICROSOFT_HOSTS = new Set([
  ...Object.values(CLOUDS).flatMap((c) => [new URL(c.authorityHost).hostname, new URL(c.graphEndpoint).hostname]),
  'login.chinacloudapi.cn',
]);
const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Parses GATEHOUSE_ALLOWED_ENDPOINT_HOSTS: host names separated by commas or spaces; `*.example.com` allows every
 * subdomain of example.com. Ports are not part of the match.
 */
export function parseAllowedEndpointHosts(text: string | undefined): string[] {
  return (text ?? '')
    .split(/[\s,]+/)
    .map((h) => h.trim().toLowerCase())
    .filter((h) => h !== '');
}

export function isEndpointHostAllowed(origin: string, allowed: readonly string[]): boolean {
  let host: string;
  try {
    host = new URL(origin).hostname.toLowerCase();
  } catch {
    return false;
  }
  if (MICROSOFT_HOSTS.has(host) || LOOPBACK.test(host)) return true;
  return allowed.some((entry) => (entry.startsWith('*.') ? host.endsWith(entry.slice(1)) : host === entry));
}

/**
 * Throws CONNECTION_ENDPOINT_NOT_ALLOWED when AuthorityHost or GraphEndpoint names a host that is neither one of
 * Microsoft's clouds, nor loopback, nor on the server's allowlist.
 */
export function assertEndpointsAllowed(parameters: Parameters, allowed: readonly string[]): void {
  for (const key of ['AuthorityHost', 'GraphEndpoint'] as const) {
    const origin = plain(parameters, key);
    if (origin !== undefined && !isEndpointHostAllowed(origin, allowed)) {
      throw new AppError('CONNECTION_ENDPOINT_NOT_ALLOWED', {
        message: `${key} ${origin} is not one of Microsoft's cloud hosts, not loopback, and not on this server's allowlist.`,
        details: { key, origin },
      });
    }
  }
}

/** Opens a secret for this connection, this parameter and the endpoints the connection names now. */
export function openConnectionSecret(
  connection: Pick<Connection, 'id' | 'name' | 'parameters'>,
  key: string,
  envelope: string,
  cipher: SecretCipher,
): string {
  try {
    return cipher.decrypt(envelope, secretBinding(connection.id, key, connection.parameters));
  } catch (error) {
    if (error instanceof AppError && error.code === 'CONNECTION_SECRET_REQUIRED') {
      throw new AppError('CONNECTION_SECRET_REQUIRED', {
        message: `The stored ${key} of connection '${connection.name}' was entered for other hosts (AuthorityHost, GraphEndpoint or Cloud changed since) or for another connection; it is not sent anywhere until it is entered again.`,
        details: { connection: connection.name, key },
      });
    }
    throw error;
  }
}

/**
 * False when the envelope was sealed for another connection, parameter or endpoints (or is a legacy one that names
 * none): the secret will not be sent until it is entered again. Reads the binding the envelope carries in the clear
 * (its third part, see src/crypto/secret-box.ts); decrypting would still be what decides.
 */
export function isBoundHere(connection: Pick<Connection, 'id' | 'parameters'>, parameter: StoredParameter): boolean {
  if (!parameter.secret) return true;
  const parts = parameter.envelope.split('.');
  if (parts[0] !== 'gh2' || parts.length !== 6) return false;
  const carried = Buffer.from(parts[2] as string, 'base64url').toString('utf8');
  return carried === secretBinding(connection.id, parameter.key, connection.parameters);
}
