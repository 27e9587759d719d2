import { Type } from 'typebox';
import { Value } from 'typebox/value';
import { AppError } from '../core/errors.js';
import type { GraphApi } from './graph-api.js';

/** A client secret of the app registration as Graph lists it: never its value, only the first 3 characters. */
export interface ApplicationPassword {
  readonly keyId: string;
  readonly displayName?: string;
  /** The first three characters of the secret (Graph's `hint`). */
  readonly hint?: string;
  readonly endsAt?: Date;
}

/** A certificate of the app registration: the SHA-1 thumbprint (lower-case hex) when Graph's identifier holds one. */
export interface ApplicationCertificate {
  readonly keyId: string;
  readonly displayName?: string;
  readonly thumbprintSha1?: string;
  readonly endsAt?: Date;
}

export interface ApplicationCredentials {
  readonly passwords: readonly ApplicationPassword[];
  readonly certificates: readonly ApplicationCertificate[];
}

const Credential = Type.Object({
  keyId: Type.String(),
  displayName: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  hint: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  endDateTime: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  customKeyIdentifier: Type.Optional(Type.Union([Type.String(), Type.Null()])),
});
const Application = Type.Object({
  passwordCredentials: Type.Optional(Type.Array(Credential)),
  keyCredentials: Type.Optional(Type.Array(Credential)),
});

/**
 * Reads the app registration's secrets and certificates (facts I, https://learn.microsoft.com/graph/api/application-get):
 * `GET /applications(appId='…')?$select=id,appId,passwordCredentials,keyCredentials`. Needs Application.Read.All;
 * a 403 is thrown as Graph's error (GRAPH_INSUFFICIENT_PRIVILEGES) for the caller to fall back.
 */
export async function readApplicationCredentials(graph: GraphApi, clientId: string): Promise<ApplicationCredentials> {
  const path = `/applications(appId='${encodeURIComponent(clientId)}')?$select=id,appId,passwordCredentials,keyCredentials`;
  const { body } = await graph.request('GET', path);
  if (!Value.Check(Application, body)) {
    throw new AppError('GRAPH_INVALID_RESPONSE', {
      message: 'Graph answered the application read with an unexpected shape.',
      details: { path: '/applications' },
    });
  }
  const date = (text: string | null | undefined) => (text ? new Date(text) : undefined);
  return {
    passwords: (body.passwordCredentials ?? []).map((c) => ({
      keyId: c.keyId,
      ...(c.displayName ? { displayName: c.displayName } : {}),
      ...(c.hint ? { hint: c.hint } : {}),
      ...(date(c.endDateTime) ? { endsAt: date(c.endDateTime) as Date } : {}),
    })),
    certificates: (body.keyCredentials ?? []).map((c) => {
      const thumbprint = thumbprintOf(c.customKeyIdentifier);
      return {
        keyId: c.keyId,
        ...(c.displayName ? { displayName: c.displayName } : {}),
        ...(thumbprint ? { thumbprintSha1: thumbprint } : {}),
        ...(date(c.endDateTime) ? { endsAt: date(c.endDateTime) as Date } : {}),
      };
    }),
  };
}

/**
 * `customKeyIdentifier` is Edm.Binary and defaults to the certificate thumbprint (facts I; how it is spelled in JSON
 * is not documented): accept base64 of the 20 thumbprint bytes, base64 of the hex text, and the hex text itself.
 */
export function thumbprintOf(identifier: string | null | undefined): string | undefined {
  if (!identifier) return undefined;
  if (/^[0-9a-f]{40}$/i.test(identifier)) return identifier.toLowerCase();
  const bytes = Buffer.from(identifier, 'base64');
  if (bytes.length === 20) return bytes.toString('hex');
  const text = bytes.toString('latin1');
  return /^[0-9a-f]{40}$/i.test(text) ? text.toLowerCase() : undefined;
}
