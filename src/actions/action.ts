import type { Static, TSchema } from 'typebox';
import type { ActionConnection, LocalDirectoryUpdates, MembershipChecker } from './ports.js';

/** Everything an action's implementation may use: Graph through the connection, and the local directory. */
export interface ActionContext {
  readonly connection: ActionConnection;
  readonly directory: LocalDirectoryUpdates;
  readonly membership: MembershipChecker;
}

/** What an audited write says about itself: the object it acted on and non-secret facts (never a password). */
export interface AuditSummary {
  readonly target?: string;
  readonly details?: Readonly<Record<string, unknown>>;
}

/**
 * One identity action: a stable name, JSON Schemas for input and output (typebox schemas are JSON Schema, so the
 * server puts them into OpenAPI as they are), the application permissions it needs and its implementation.
 */
export interface ActionDefinition<I extends TSchema = TSchema, O extends TSchema = TSchema> {
  /** Stable, dotted, camelCase: `user.create`, `group.addMember`. Part of the contract. */
  readonly name: string;
  /** One line for lists and docs. */
  readonly summary: string;
  readonly write: boolean;
  /**
   * Any one inner set suffices; sets are ordered least privileged first (facts E.2). Empty for `graph.request`,
   * which needs whatever the called API needs.
   */
  readonly permissions: readonly (readonly string[])[];
  readonly input: I;
  readonly output: O;
  /** Which object the action concerns, for the audit log and error messages. */
  auditOf(input: Static<I>, output?: Static<O>): AuditSummary;
  /**
   * Why Entra may refuse this write although the app holds the permissions, when that is not the usual "protected
   * object" (an administrator, a role-assignable group): e.g. password resets also need a directory role.
   */
  readonly refusedDespitePermissions?: { readonly message: string; readonly hint: string };
  /** Whether this particular call writes (graph.request decides per call; the others are fixed). */
  writes?(input: Static<I>): boolean;
  run(context: ActionContext, input: Static<I>): Promise<Static<O>>;
}

/** Declares an action with its types inferred from its schemas. */
export function defineAction<I extends TSchema, O extends TSchema>(
  action: ActionDefinition<I, O>,
): ActionDefinition<I, O> {
  return action;
}
