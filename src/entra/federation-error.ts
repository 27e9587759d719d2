import { AppError } from '../core/errors.js';
import type { AssertionFileSource } from './assertion-file-source.js';

/** The audience Entra expects on a federated token unless the credential says otherwise (facts H.1). */
export const TOKEN_EXCHANGE_AUDIENCE = 'api://AzureADTokenExchange';

const FEDERATION_CODES = new Set([
  'ENTRA_FEDERATION_NO_MATCH',
  'ENTRA_FEDERATION_ISSUER_MISMATCH',
  'ENTRA_FEDERATION_AUDIENCE_MISMATCH',
  'ENTRA_FEDERATION_SUBJECT_MISMATCH',
  'ENTRA_FEDERATION_NOT_CONFIGURED',
  'ENTRA_FEDERATION_ENTRA_TOKEN',
  'ENTRA_FEDERATION_ISSUER_UNREACHABLE',
  'ENTRA_FEDERATION_KEY_NOT_FOUND',
  'ENTRA_ASSERTION_EXPIRED',
  'ENTRA_INVALID_CERTIFICATE',
]);

/**
 * Entra's federation errors name only one side; the administrator needs both: what the token presented (its
 * issuer, subject and audience, read from the file) and what the federated credential must therefore say. The
 * token itself never appears, only those claims.
 */
export function explainFederationError(error: AppError, source: AssertionFileSource, clientId: string): AppError {
  if (!FEDERATION_CODES.has(error.code)) return error;
  const claims = source.lastClaims();
  const file = source.describe();
  const issuer = claims?.issuer ?? '(none)';
  const subject = claims?.subject ?? '(none)';
  const audience = [claims?.audience ?? '(none)'].flat().join(', ');
  const presented = `the token in ${file.path ?? file.configured} has issuer '${issuer}', subject '${subject}' and audience '${audience}'`;
  const credential = JSON.stringify({ name: 'gatehouse', issuer, subject, audiences: [TOKEN_EXCHANGE_AUDIENCE] });
  const create = `az ad app federated-credential create --id ${clientId} --parameters '${credential}'`;
  const hints: Record<string, string> = {
    ENTRA_FEDERATION_NO_MATCH: `Under Certificates & secrets > Federated credentials, add (or correct) a credential with exactly issuer '${issuer}', subject '${subject}' and audience '${TOKEN_EXCHANGE_AUDIENCE}': ${create}. A credential created minutes ago may not be active yet: retry.`,
    ENTRA_FEDERATION_ISSUER_MISMATCH: `Set the federated credential's Issuer to '${issuer}' exactly (trailing slash included), or add one: ${create}.`,
    ENTRA_FEDERATION_SUBJECT_MISMATCH: `Set the federated credential's Subject to '${subject}' exactly (matching is case-sensitive), or add one: ${create}.`,
    ENTRA_FEDERATION_AUDIENCE_MISMATCH: `The token's audience is '${audience}'; issue it for '${TOKEN_EXCHANGE_AUDIENCE}' (the projected service-account token's audience) or set the credential's audience to it.`,
    ENTRA_FEDERATION_NOT_CONFIGURED: `The app has no federated credentials yet: ${create}.`,
    ENTRA_FEDERATION_ENTRA_TOKEN: `The token was issued by Entra ID ('${issuer}'); ClientAssertionFile must hold an external issuer's token. On Azure, use ManagedIdentity instead.`,
    ENTRA_FEDERATION_ISSUER_UNREACHABLE: `Entra could not fetch ${issuer.replace(/\/$/, '')}/.well-known/openid-configuration or its jwks_uri: publish both over https, reachable from the internet.`,
    ENTRA_FEDERATION_KEY_NOT_FOUND: `The key that signed the token is not published by '${issuer}': publish the current signing key in its JWKS.`,
    ENTRA_ASSERTION_EXPIRED: `The token ${claims?.expiresAt ? `expired at ${claims.expiresAt.toISOString()}` : 'is outside its valid time'}; gatehouse reads the file at every request, so whatever writes it (kubelet, the workload identity webhook, your CI) stopped renewing it. Also check this machine's clock.`,
    ENTRA_INVALID_CERTIFICATE: `Entra could not validate the federated token from '${issuer}': check that the issuer's published keys sign it.`,
  };
  return new AppError(error.code, {
    message: `${error.message.replace(/\.$/, '')}: ${presented}.`,
    hint: hints[error.code] ?? error.hint,
    details: {
      ...error.details,
      file: file.path ?? file.configured,
      issuer,
      subject,
      audience,
      ...(claims?.expiresAt ? { assertionExpiresAt: claims.expiresAt.toISOString() } : {}),
    },
    cause: error,
  });
}
