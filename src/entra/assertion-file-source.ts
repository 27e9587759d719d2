import { readFile } from 'node:fs/promises';
import { AppError } from '../core/errors.js';
import { decodeFederatedClaims, type FederatedTokenClaims } from './federated-token-claims.js';

const ENV_REFERENCE = /^env:([A-Za-z_][A-Za-z0-9_]*)$/;
const JWT = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/** What was last presented to Entra, for explaining its answer (the token itself never leaves this object). */
export interface AssertionFileSource {
  /** msal's client-assertion callback (facts H.3): reads the file anew on every token request. */
  readonly callback: () => Promise<string>;
  /** The claims of the token last read (issuer, subject, audience, expiry), for error hints. */
  lastClaims(): FederatedTokenClaims | undefined;
  /** The token last read, only so error texts can be scrubbed of it. */
  lastAssertion(): string | undefined;
  /** The path as configured (`env:NAME` or absolute), and the file it resolved to last time. */
  describe(): { configured: string; path?: string };
}

export interface AssertionFileSourceOptions {
  readonly connectionName: string;
  /** The process environment, for `env:NAME` (injected by tests). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

/**
 * The federated token of workload identity federation, read from `ClientAssertionFile` at every token request:
 * Kubernetes rotates the projected token (hourly by default), so a token kept in memory would be used past its
 * own `exp`. Nothing is cached: msal calls the callback on every request, cache hits included (facts H.3).
 */
export function createAssertionFileSource(
  configured: string,
  options: AssertionFileSourceOptions,
): AssertionFileSource {
  let claims: FederatedTokenClaims | undefined;
  let assertion: string | undefined;
  let resolved: string | undefined;
  const env = options.env ?? process.env;
  return {
    async callback() {
      const path = resolvePath(configured, env, options.connectionName);
      resolved = path;
      let text: string;
      try {
        text = await readFile(path, 'utf8');
      } catch (cause) {
        const reason = (cause as { code?: unknown } | null)?.code;
        throw new AppError('ENTRA_ASSERTION_FILE_UNREADABLE', {
          message: `The federated token file ${path} of connection '${options.connectionName}' cannot be read (${typeof reason === 'string' ? reason : 'error'}).`,
          details: { path, ...(typeof reason === 'string' ? { reason } : {}) },
        });
      }
      const token = text.trim();
      if (!JWT.test(token)) {
        throw new AppError('ENTRA_ASSERTION_FILE_INVALID', {
          message: `The federated token file ${path} of connection '${options.connectionName}' does not hold a JWT${token === '' ? ' (it is empty)' : ''}.`,
          details: { path, bytes: Buffer.byteLength(text) },
        });
      }
      assertion = token;
      claims = decodeFederatedClaims(token);
      return token;
    },
    lastClaims: () => claims,
    lastAssertion: () => assertion,
    describe: () => ({ configured, ...(resolved ? { path: resolved } : {}) }),
  };
}

function resolvePath(
  configured: string,
  env: Readonly<Record<string, string | undefined>>,
  connectionName: string,
): string {
  const reference = ENV_REFERENCE.exec(configured);
  if (!reference) return configured;
  const name = reference[1] as string;
  const value = env[name]?.trim();
  if (!value) {
    throw new AppError('ENTRA_ASSERTION_FILE_UNREADABLE', {
      message: `ClientAssertionFile of connection '${connectionName}' follows the environment variable ${name}, which is not set in gatehouse's environment.`,
      details: { variable: name },
    });
  }
  return value;
}
