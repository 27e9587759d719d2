/**
 * Federated identity credentials on the emulated apps (workload identity federation, facts H.1,
 * https://learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations): at most 20 per app,
 * issuer + subject unique, each value at most 600 characters, exactly one audience, a name of 3–120 characters
 * of [A-Za-z0-9_-], no wildcards. Entra matches issuer, subject and audience exactly.
 */
export interface FederatedCredential {
  readonly name: string;
  readonly issuer: string;
  readonly subject: string;
  readonly audiences: readonly string[];
  /** Emulator time from which Entra honours it (a new credential takes a moment to propagate: AADSTS70021). */
  readonly activeFrom: Date;
}

export interface AddFederatedCredentialOptions {
  name?: string;
  issuer: string;
  subject: string;
  /** Default `['api://AzureADTokenExchange']`. */
  audiences?: string[];
  /** Milliseconds after creation before Entra matches it (propagation). Default 0. */
  activeAfterMs?: number;
}

export const DEFAULT_FEDERATION_AUDIENCE = 'api://AzureADTokenExchange';
const MAX_PER_APP = 20;
const MAX_VALUE = 600;
const NAME = /^[A-Za-z0-9_-]{3,120}$/;

/** A refused credential, as Graph refuses it (400, with Graph's wording as far as documented). */
export class FederatedCredentialError extends Error {}

/** The federated credentials of every app, by client id (lower case). */
export class FederatedCredentials {
  private readonly byApp = new Map<string, FederatedCredential[]>();

  constructor(private readonly now: () => Date) {}

  add(clientId: string, options: AddFederatedCredentialOptions): FederatedCredential {
    const key = clientId.toLowerCase();
    const existing = this.byApp.get(key) ?? [];
    const name = options.name ?? `fic-${existing.length + 1}`;
    const audiences = options.audiences ?? [DEFAULT_FEDERATION_AUDIENCE];
    if (!NAME.test(name)) throw new FederatedCredentialError(`Invalid federated identity credential name '${name}'.`);
    if (existing.length >= MAX_PER_APP)
      throw new FederatedCredentialError(
        `An application can have at most ${MAX_PER_APP} federated identity credentials.`,
      );
    if (audiences.length !== 1) throw new FederatedCredentialError('Exactly one audience must be specified.');
    for (const value of [options.issuer, options.subject, ...audiences]) {
      if (value.length === 0 || value.length > MAX_VALUE)
        throw new FederatedCredentialError(`Issuer, subject and audience must be 1 to ${MAX_VALUE} characters.`);
      if (value.includes('*')) throw new FederatedCredentialError('Wildcard characters are not supported.');
      if (value !== value.trim()) throw new FederatedCredentialError('Leading or trailing whitespace is not allowed.');
    }
    if (existing.some((c) => c.name === name))
      throw new FederatedCredentialError(`A federated identity credential named '${name}' already exists.`);
    if (existing.some((c) => c.issuer === options.issuer && c.subject === options.subject))
      throw new FederatedCredentialError(
        'A federated identity credential with this issuer and subject already exists.',
      );
    const credential: FederatedCredential = {
      name,
      issuer: options.issuer,
      subject: options.subject,
      audiences: [...audiences],
      activeFrom: new Date(this.now().getTime() + (options.activeAfterMs ?? 0)),
    };
    this.byApp.set(key, [...existing, credential]);
    return credential;
  }

  remove(clientId: string, name: string): boolean {
    const key = clientId.toLowerCase();
    const existing = this.byApp.get(key) ?? [];
    this.byApp.set(
      key,
      existing.filter((c) => c.name !== name),
    );
    return existing.some((c) => c.name === name);
  }

  list(clientId: string): readonly FederatedCredential[] {
    return this.byApp.get(clientId.toLowerCase()) ?? [];
  }
}
