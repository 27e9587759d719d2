import type { GraphWritePattern } from '../connections/entra-id/graph-paths.js';
import type { GraphApi } from '../entra/graph-api.js';

/**
 * The ports the actions need; `src/main.ts` implements them with the connection service, the msal token provider,
 * the Graph client, the local directory and the membership service.
 */

/** One connection, ready to call Graph. */
export interface ActionConnection {
  readonly id: string;
  readonly name: string;
  readonly graph: GraphApi;
  /** Graph's origin for this connection (`https://graph.microsoft.com`, a national cloud's, or the emulator's). */
  readonly graphEndpoint: string;
  /** The writes an admin allows graph.request to send on this connection (GraphWritePaths; default none). */
  readonly graphWritePaths: readonly GraphWritePattern[];
  /**
   * The application permissions (`roles` claim) of the current token, when known. Used only to explain a 403: a
   * missing permission versus a protected (admin) object. Never used to authorise anything.
   */
  grantedRoles(): Promise<readonly string[] | undefined>;
  /** Waits on gatehouse's clock (retries while Graph replicates a new object; a manual clock in tests). */
  sleep(ms: number): Promise<void>;
}

export interface ActionConnections {
  /** Throws CONNECTION_NOT_FOUND for an unknown name. */
  open(connectionName: string): Promise<ActionConnection>;
}

/** A user as actions write it into the local directory (Graph property names). */
export interface DirectoryUserRecord {
  readonly id: string;
  readonly userPrincipalName: string;
  readonly displayName?: string | null;
  readonly mail?: string | null;
  readonly accountEnabled?: boolean | null;
  readonly [property: string]: unknown;
}

/** A group as actions write it into the local directory (Graph property names). */
export interface DirectoryGroupRecord {
  readonly id: string;
  readonly displayName?: string | null;
  readonly description?: string | null;
  readonly mailEnabled?: boolean | null;
  readonly securityEnabled?: boolean | null;
  readonly groupTypes?: readonly string[];
}

/**
 * Keeps the local directory current right after a write (product.md section 4: a membership check right after
 * `groups add-member` answers from the new state). Implemented over the directory store; the directory's own
 * policies (e.g. disabled users excluded) apply.
 */
export interface LocalDirectoryUpdates {
  userChanged(connectionId: string, user: DirectoryUserRecord): Promise<void>;
  userDeleted(connectionId: string, userId: string): Promise<void>;
  /** The group as Graph just returned it is stored too, so a check right after the write can name it. */
  membersAdded(
    connectionId: string,
    group: DirectoryGroupRecord,
    memberIds: readonly string[],
    /** Member users the action read from Graph anyway (named by UPN): stored too, with the directory's policy. */
    users?: readonly DirectoryUserRecord[],
  ): Promise<void>;
  membersRemoved(connectionId: string, group: DirectoryGroupRecord, memberIds: readonly string[]): Promise<void>;
}

/** The membership answer of product.md section 4 (`membership check --json`). */
export interface MembershipAnswer {
  readonly member: boolean;
  readonly path: readonly { readonly id: string; readonly displayName: string }[];
  readonly source: 'directory' | 'live';
  readonly syncedAt?: string;
}

/** The sync engineer's membership service: local (transitive, from the directory) or live (Graph). */
export interface MembershipChecker {
  check(connectionName: string, user: string, group: string, options: { live: boolean }): Promise<MembershipAnswer>;
}
