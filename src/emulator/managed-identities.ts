import type { AppRegistry } from './app-registry.js';
import { randomGuid } from './seeded-ids.js';

/** A managed identity of the emulated Azure host: a service principal without an app registration or credentials. */
export interface EmulatedManagedIdentity {
  readonly kind: 'system' | 'user';
  /** The identity's client (application) id: ManagedIdentity=user takes it as ClientID. */
  readonly clientId: string;
  /** Object (principal) id of its service principal: the token's `oid`. */
  readonly objectId: string;
  /** ARM resource id (user-assigned) or the host's resource id (system-assigned), for `msi_res_id`/`mi_res_id`. */
  readonly resourceId: string;
  readonly displayName: string;
}

export interface ManagedIdentityOptions {
  /** Application permissions assigned to it (app role assignments on Graph; no consent step exists). */
  roles?: string[];
  displayName?: string;
  clientId?: string;
  objectId?: string;
}

const HOST_RESOURCE =
  '/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/emulator/providers/Microsoft.Compute/virtualMachines/gatehouse-host';

/**
 * The identities of the one Azure host the emulator pretends to be (IMDS or App Service answer for it): at most
 * one system-assigned identity, any number of user-assigned ones. Each is also registered as an app without
 * credentials, so its tokens carry roles and Graph knows it.
 */
export class ManagedIdentities {
  private system: EmulatedManagedIdentity | undefined;
  private readonly user = new Map<string, EmulatedManagedIdentity>();

  constructor(private readonly apps: AppRegistry) {}

  enableSystemAssigned(options: ManagedIdentityOptions = {}): EmulatedManagedIdentity {
    this.system = this.create('system', options, HOST_RESOURCE);
    return this.system;
  }

  disableSystemAssigned(): void {
    this.system = undefined;
  }

  addUserAssigned(options: ManagedIdentityOptions = {}): EmulatedManagedIdentity {
    const name = options.displayName ?? `uami-${this.user.size + 1}`;
    const identity = this.create(
      'user',
      { ...options, displayName: name },
      `/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/emulator/providers/Microsoft.ManagedIdentity/userAssignedIdentities/${name}`,
    );
    this.user.set(identity.clientId, identity);
    return identity;
  }

  /** The identity a token request names (`client_id`, `object_id`/`principal_id`, `msi_res_id`/`mi_res_id`), or the system one. */
  find(query: { clientId?: string; objectId?: string; resourceId?: string }): EmulatedManagedIdentity | undefined {
    const { clientId, objectId, resourceId } = query;
    if (clientId === undefined && objectId === undefined && resourceId === undefined) return this.system;
    return [...this.user.values()].find(
      (identity) =>
        (clientId !== undefined && identity.clientId === clientId.toLowerCase()) ||
        (objectId !== undefined && identity.objectId === objectId.toLowerCase()) ||
        (resourceId !== undefined && identity.resourceId.toLowerCase() === resourceId.toLowerCase()),
    );
  }

  private create(
    kind: 'system' | 'user',
    options: ManagedIdentityOptions,
    resourceId: string,
  ): EmulatedManagedIdentity {
    const registered = this.apps.register({
      clientId: options.clientId ?? randomGuid(),
      objectId: options.objectId ?? randomGuid(),
      displayName: options.displayName ?? 'gatehouse-host',
      applicationPermissions: options.roles ?? [],
      adminConsented: true,
      secret: false,
    });
    return {
      kind,
      clientId: registered.clientId,
      objectId: registered.objectId,
      resourceId,
      displayName: registered.displayName,
    };
  }
}
