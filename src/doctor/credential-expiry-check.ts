import type { CredentialExpiry } from '../connections/connection.js';
import type { EntraSettings } from '../connections/entra-id/entra-settings.js';
import { AppError, toAppError } from '../core/errors.js';
import { type ApplicationCredentials, readApplicationCredentials } from '../entra/application-credentials.js';
import type { GraphApi } from '../entra/graph-api.js';
import { type DoctorCheck, fromError, passed } from './doctor-report.js';

const DAY_MS = 86_400_000;
/** Warn this many days ahead (product.md section 3). */
export const EXPIRY_WARNING_DAYS = 30;

export interface ExpiryOutcome {
  readonly check: DoctorCheck;
  /** What the connection's list shows until the next test. */
  readonly expiry?: CredentialExpiry;
}

/**
 * The real expiry of the secret or certificate in use, read from the app registration in Graph (facts I): the secret
 * is matched by Graph's `hint` (its first three characters), the certificate by its SHA-1 thumbprint. Warns 30 days
 * ahead. When Graph refuses (no Application.Read.All), SecretExpiresOn or the certificate's own date is the fallback.
 */
export async function checkCredentialExpiry(
  settings: EntraSettings,
  graph: GraphApi,
  now: Date,
): Promise<ExpiryOutcome> {
  const credential = settings.credential;
  if (credential.kind === 'assertionFile' || credential.kind === 'managedIdentity') {
    return {
      check: passed(
        'expiry',
        `Nothing to renew: ${credential.kind === 'managedIdentity' ? 'a managed identity' : 'a federated token file'} has no secret or certificate; its tokens are short-lived and renewed by the platform.`,
      ),
    };
  }
  let registration: ApplicationCredentials;
  try {
    registration = await readApplicationCredentials(graph, settings.clientId);
  } catch (error) {
    return fallback(settings, toAppError(error));
  }
  if (credential.kind === 'secret') {
    const value = credential.secret.reveal();
    const candidates = registration.passwords.filter((p) => p.hint && p.endsAt && value.startsWith(p.hint));
    const match = candidates.sort((a, b) => (a.endsAt?.getTime() ?? 0) - (b.endsAt?.getTime() ?? 0))[0];
    if (!match?.endsAt) return notListed(settings, 'client secret', registration.passwords.length);
    const ambiguity =
      candidates.length > 1
        ? ` (${candidates.length} secrets start with the same characters; the earliest is shown)`
        : '';
    return judge(
      settings,
      now,
      {
        expiresAt: match.endsAt.toISOString(),
        source: 'graph',
        credential: 'secret',
        keyId: match.keyId,
        ...(match.displayName ? { name: match.displayName } : {}),
      },
      ambiguity,
    );
  }
  const match = registration.certificates.find((c) => c.thumbprintSha1 === credential.thumbprintSha1.toLowerCase());
  if (!match?.endsAt) return notListed(settings, 'certificate', registration.certificates.length);
  return judge(
    settings,
    now,
    {
      expiresAt: match.endsAt.toISOString(),
      source: 'graph',
      credential: 'certificate',
      keyId: match.keyId,
      ...(match.displayName ? { name: match.displayName } : {}),
    },
    '',
  );
}

function judge(settings: EntraSettings, now: Date, expiry: CredentialExpiry, note: string): ExpiryOutcome {
  const what = expiry.credential === 'secret' ? 'client secret' : 'certificate';
  const named = `The ${what}${expiry.name ? ` '${expiry.name}'` : ''} of connection '${settings.connectionName}'`;
  const daysLeft = Math.floor((Date.parse(expiry.expiresAt) - now.getTime()) / DAY_MS);
  const details = { ...expiry, daysLeft };
  if (daysLeft < 0) {
    const code = expiry.credential === 'secret' ? 'ENTRA_CLIENT_SECRET_EXPIRED' : 'ENTRA_INVALID_CERTIFICATE';
    return {
      check: fromError(
        'expiry',
        new AppError(code, { message: `${named} expired on ${expiry.expiresAt} (read from Graph)${note}.`, details }),
      ),
      expiry,
    };
  }
  if (daysLeft <= EXPIRY_WARNING_DAYS) {
    return {
      check: fromError(
        'expiry',
        new AppError('ENTRA_CREDENTIAL_EXPIRES_SOON', {
          message: `${named} expires in ${daysLeft} day(s), on ${expiry.expiresAt} (read from Graph)${note}.`,
          details,
        }),
        'warn',
      ),
      expiry,
    };
  }
  return {
    check: passed('expiry', `${named} expires on ${expiry.expiresAt} (read from Graph)${note}.`, details),
    expiry,
  };
}

/** Graph refused or failed: say why, and keep the administrator's own date (SecretExpiresOn) or the certificate's. */
function fallback(settings: EntraSettings, error: AppError): ExpiryOutcome {
  const credential = settings.credential;
  const expiry: CredentialExpiry | undefined =
    credential.kind === 'certificate'
      ? { expiresAt: credential.notAfter.toISOString(), source: 'certificate', credential: 'certificate' }
      : settings.secretExpiresOn
        ? { expiresAt: settings.secretExpiresOn.toISOString(), source: 'SecretExpiresOn', credential: 'secret' }
        : undefined;
  const why =
    error.code === 'GRAPH_INSUFFICIENT_PRIVILEGES'
      ? 'Graph does not let the app read its own registration (that needs the Application permission Application.Read.All)'
      : `Graph could not be asked for the app registration (${error.code})`;
  const instead = expiry
    ? `the expiry shown is ${expiry.source === 'certificate' ? "the certificate's own" : 'SecretExpiresOn'}: ${expiry.expiresAt}`
    : 'set SecretExpiresOn to be warned before the secret expires';
  return {
    check: {
      id: 'expiry',
      status: 'skip',
      message: `${why}; ${instead}.`,
      hint: 'Grant Application.Read.All to read secret and certificate expiry from Entra itself.',
      details: { reason: error.code },
    },
    ...(expiry ? { expiry } : {}),
  };
}

function notListed(settings: EntraSettings, what: string, count: number): ExpiryOutcome {
  return {
    check: {
      id: 'expiry',
      status: 'warn',
      message: `The ${what} of connection '${settings.connectionName}' is not among the ${count} ${what}(s) Graph lists for the app, so its expiry is unknown.`,
      hint: `Check under Certificates & secrets which ${what} the connection uses.`,
    },
  };
}
