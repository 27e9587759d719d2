import { type CertificateInfo, readCertificate } from './certificate.js';
import { randomGuid, randomSecretValue } from './seeded-ids.js';

/** A client secret as the portal shows it: the ID (a GUID) and the Value, with an expiry. */
export interface AppSecret {
  readonly secretId: string;
  readonly value: string;
  readonly expiresAt: Date;
}

/** An app registration plus its service principal in the emulated tenant. */
export interface EmulatedApp {
  readonly clientId: string;
  /** Object id of the service principal: the token's `oid` and `sub`. */
  readonly objectId: string;
  displayName: string;
  /** false = the service principal is disabled (AADSTS7000112). */
  enabled: boolean;
  secrets: AppSecret[];
  certificates: CertificateInfo[];
  /** Application permissions (app roles) configured on the registration, e.g. "User.Read.All". */
  applicationPermissions: string[];
  /** Delegated permissions: never appear in an app-only token. */
  delegatedPermissions: string[];
  /** Whether an admin granted consent for the application permissions. Without it the token has no `roles`. */
  adminConsented: boolean;
  /** Holds a directory role (e.g. User Administrator) that lets it change privileged users and role-assignable groups. */
  canManagePrivileged: boolean;
}

/** What a test asks for; everything has a sensible default (an enabled, consented app with one valid secret). */
export interface RegisterAppOptions {
  clientId?: string;
  objectId?: string;
  displayName?: string;
  enabled?: boolean;
  /** Application permissions; default none. */
  applicationPermissions?: string[];
  delegatedPermissions?: string[];
  /** Default true. */
  adminConsented?: boolean;
  /** Default false: writes on admins and role-assignable groups answer 403, as for a real app without a directory role. */
  canManagePrivileged?: boolean;
  /** A secret to create (default: one valid for a year). `false` = no secret. */
  secret?: false | { secretId?: string; value?: string; expiresAt?: Date };
  /** PEM certificates (public part) to upload. */
  certificatePems?: string[];
}

/** A registered app as handed to tests: ids, the first secret (if any) and the certificate thumbprints. */
export interface RegisteredApp {
  readonly clientId: string;
  readonly objectId: string;
  readonly displayName: string;
  readonly secretId: string | undefined;
  readonly secretValue: string | undefined;
  /** The `roles` an access token of this app carries (empty without admin consent). */
  readonly roles: readonly string[];
  readonly certificates: readonly { thumbprintSha256: string; thumbprintSha1: string }[];
}

/** The tenant's app registrations, looked up by client id (case-insensitive, as Entra does). */
export class AppRegistry {
  private readonly apps = new Map<string, EmulatedApp>();

  constructor(private readonly now: () => Date) {}

  register(options: RegisterAppOptions = {}): RegisteredApp {
    const clientId = (options.clientId ?? randomGuid()).toLowerCase();
    const secrets: AppSecret[] = [];
    if (options.secret !== false) {
      const s = options.secret ?? {};
      secrets.push({
        secretId: s.secretId ?? randomGuid(),
        value: s.value ?? randomSecretValue(),
        expiresAt: s.expiresAt ?? new Date(this.now().getTime() + 365 * 24 * 3600_000),
      });
    }
    const app: EmulatedApp = {
      clientId,
      objectId: options.objectId ?? randomGuid(),
      displayName: options.displayName ?? `app-${clientId.slice(0, 8)}`,
      enabled: options.enabled ?? true,
      secrets,
      certificates: (options.certificatePems ?? []).map(readCertificate),
      applicationPermissions: [...(options.applicationPermissions ?? [])],
      delegatedPermissions: [...(options.delegatedPermissions ?? [])],
      adminConsented: options.adminConsented ?? true,
      canManagePrivileged: options.canManagePrivileged ?? false,
    };
    this.apps.set(clientId, app);
    return describeApp(app);
  }

  get(clientId: string): EmulatedApp | undefined {
    return this.apps.get(clientId.toLowerCase());
  }

  /** Looks up an app or throws (for the handle's mutation API, where an unknown id is a test bug). */
  require(clientId: string): EmulatedApp {
    const app = this.get(clientId);
    if (!app) throw new Error(`emulator: no app registration with client id ${clientId}`);
    return app;
  }

  all(): EmulatedApp[] {
    return [...this.apps.values()];
  }
}

/** Roles claim: application permissions, only once an admin consented (facts E.1). */
export function rolesOf(app: EmulatedApp): string[] {
  return app.adminConsented ? [...app.applicationPermissions] : [];
}

export function describeApp(app: EmulatedApp): RegisteredApp {
  return {
    clientId: app.clientId,
    objectId: app.objectId,
    displayName: app.displayName,
    secretId: app.secrets[0]?.secretId,
    secretValue: app.secrets[0]?.value,
    roles: rolesOf(app),
    certificates: app.certificates.map((c) => ({
      thumbprintSha256: c.thumbprintSha256,
      thumbprintSha1: c.thumbprintSha1,
    })),
  };
}
