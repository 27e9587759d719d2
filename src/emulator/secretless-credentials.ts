import type { AppRegistry } from './app-registry.js';
import type { EmulatorRequest, EmulatorResponse, RequestIdentity } from './emulator-http.js';
import { type ChosenFaults, FaultPlan } from './fault-plan.js';
import type { FederationDeps } from './federated-assertion.js';
import {
  type AddFederatedCredentialOptions,
  type FederatedCredential,
  FederatedCredentials,
} from './federated-credentials.js';
import { type EmulatedManagedIdentity, ManagedIdentities, type ManagedIdentityOptions } from './managed-identities.js';
import { APP_SERVICE_PATH, handleManagedIdentity } from './managed-identity-endpoints.js';
import { OidcDiscovery } from './oidc-discovery.js';
import { seededGuid } from './seeded-ids.js';
import type { TenantIdentity } from './tenant-identity.js';
import type { TokenSigner } from './token-signer.js';

/** `emulator.federation`: federated identity credentials on the emulated apps (facts H.1). */
export interface EmulatorFederation {
  /** Adds a credential (issuer, subject, audiences) under Graph's rules; throws FederatedCredentialError otherwise. */
  addCredential(clientId: string, options: AddFederatedCredentialOptions): FederatedCredential;
  removeCredential(clientId: string, name: string): boolean;
  list(clientId: string): readonly FederatedCredential[];
}

/** `emulator.managedIdentity`: the emulated Azure host's identities and how msal-node is pointed at them (facts H.4). */
export interface EmulatorManagedIdentity {
  enableSystemAssigned(options?: ManagedIdentityOptions): EmulatedManagedIdentity;
  disableSystemAssigned(): void;
  addUserAssigned(options?: ManagedIdentityOptions): EmulatedManagedIdentity;
  /** Value for AZURE_POD_IDENTITY_AUTHORITY_HOST: msal's IMDS source then asks the emulator. */
  readonly imdsHost: string;
  /** Values for IDENTITY_ENDPOINT and IDENTITY_HEADER: msal's App Service source then asks the emulator. */
  readonly appServiceEndpoint: string;
  readonly identityHeader: string;
  /** The next `count` managed-identity requests fail with `spec.status`. */
  failNext(count: number, spec: ChosenFaults): void;
}

export interface SecretlessDeps {
  readonly apps: AppRegistry;
  readonly signer: TokenSigner;
  readonly tenant: TenantIdentity;
  readonly now: () => Date;
  readonly tokenLifetimeSeconds: () => number;
  readonly seed: string;
}

/** Wires workload identity federation and the managed-identity endpoints into the emulator (two small hooks). */
export function createSecretlessCredentials(deps: SecretlessDeps) {
  const credentials = new FederatedCredentials(deps.now);
  const federationDeps: FederationDeps = { credentials, discovery: new OidcDiscovery(), now: deps.now };
  const identities = new ManagedIdentities(deps.apps);
  const faults = new FaultPlan(Number.parseInt(seededGuid(deps.seed, 'mi-faults').slice(0, 8), 16));
  const identityHeader = seededGuid(deps.seed, 'identity-header');
  const endpointDeps = { ...deps, identities, identityHeader, faults };
  return {
    federationDeps,
    /** Answers IMDS and App Service requests; undefined for any other path. */
    handle(req: EmulatorRequest, who: RequestIdentity): EmulatorResponse | undefined {
      const response = handleManagedIdentity(req, endpointDeps);
      if (response) {
        const clientId = (response.body as { client_id?: unknown } | undefined)?.client_id;
        if (typeof clientId === 'string') who.clientId = clientId;
        if (response.status >= 400) who.errorCode = `MI${response.status}`;
      }
      return response;
    },
    federation: {
      addCredential: (clientId, options) => {
        deps.apps.require(clientId);
        return credentials.add(clientId, options);
      },
      removeCredential: (clientId, name) => credentials.remove(clientId, name),
      list: (clientId) => credentials.list(clientId),
    } satisfies EmulatorFederation,
    managedIdentity(url: string): EmulatorManagedIdentity {
      return {
        enableSystemAssigned: (options) => identities.enableSystemAssigned(options),
        disableSystemAssigned: () => identities.disableSystemAssigned(),
        addUserAssigned: (options) => identities.addUserAssigned(options),
        imdsHost: url,
        appServiceEndpoint: `${url}${APP_SERVICE_PATH}`,
        identityHeader,
        failNext: (count, spec) => faults.failNext(count, spec),
      };
    },
  };
}
