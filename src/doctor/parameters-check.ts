import type { Connection } from '../connections/connection.js';
import type { EntraSettings } from '../connections/entra-id/entra-settings.js';
import { AppError, toAppError } from '../core/errors.js';
import { type DoctorCheck, fromError, passed } from './doctor-report.js';
import type { DoctorConnections } from './ports.js';

export interface ParametersOutcome {
  readonly check: DoctorCheck;
  /** Present when the settings could be resolved, so the token check can run. */
  readonly settings?: EntraSettings;
}

/**
 * Re-runs the connection type's validators on the stored values (rules may have tightened since the connection was
 * saved), resolves the settings (decrypts the credential), and checks expiry dates: a warning within 30 days (the
 * validators' own warnings), a failure once the secret or certificate has expired.
 */
export async function checkParameters(
  connection: Connection,
  connections: DoctorConnections,
  now: Date,
): Promise<ParametersOutcome> {
  const warnings: string[] = [];
  let settings: EntraSettings;
  try {
    const type = connections.types.get(connection.type);
    type.validateKeys(new Set(connection.parameters.map((p) => p.key)));
    for (const parameter of connection.parameters) {
      const spec = type.parameters.find((candidate) => candidate.key === parameter.key);
      // A GUID-shaped secret was accepted with --allow-guid-secret when saved; the token check tells the truth.
      const validated = spec?.validate(connections.revealParameter(connection, parameter), {
        allowGuidSecret: true,
        now,
      });
      warnings.push(...(validated?.warnings ?? []));
    }
    settings = await connections.resolveEntraSettings(connection.id);
  } catch (error) {
    return { check: fromError('parameters', toAppError(error)) };
  }
  const expired = expiryFailure(settings, now);
  if (expired) return { check: fromError('parameters', expired), settings };
  const keys = connection.parameters.map((p) => p.key).join(', ');
  if (warnings.length > 0) {
    return {
      check: { id: 'parameters', status: 'warn', message: warnings.join(' '), hint: renewHint(settings) },
      settings,
    };
  }
  return { check: passed('parameters', `${keys} are valid.`), settings };
}

function expiryFailure(settings: EntraSettings, now: Date): AppError | undefined {
  const credential = settings.credential;
  if (credential.kind === 'certificate' && credential.notAfter.getTime() < now.getTime()) {
    return new AppError('ENTRA_INVALID_CERTIFICATE', {
      message: `The certificate of connection '${settings.connectionName}' expired on ${credential.notAfter.toISOString()}.`,
      hint: 'Create a new certificate, upload its public part under Certificates & secrets > Certificates, and set ClientCertificate to the new PEM.',
      details: { notAfter: credential.notAfter.toISOString(), thumbprintSha1: credential.thumbprintSha1 },
    });
  }
  if (credential.kind === 'secret' && settings.secretExpiresOn && settings.secretExpiresOn.getTime() < now.getTime()) {
    return new AppError('ENTRA_CLIENT_SECRET_EXPIRED', {
      message: `The client secret of connection '${settings.connectionName}' expired on ${settings.secretExpiresOn.toISOString().slice(0, 10)} (SecretExpiresOn).`,
      details: { secretExpiresOn: settings.secretExpiresOn.toISOString() },
    });
  }
  return undefined;
}

function renewHint(settings: EntraSettings): string {
  return settings.credential.kind === 'certificate'
    ? 'Upload a new certificate under Certificates & secrets before this one expires, then update ClientCertificate.'
    : 'Create a new client secret under Certificates & secrets before this one expires, then update ClientSecret and SecretExpiresOn.';
}
