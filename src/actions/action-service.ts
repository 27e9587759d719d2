import type { TSchema } from 'typebox';
import { Value } from 'typebox/value';
import type { AuditOrigin } from '../audit/audit-event.js';
import type { AuditLog } from '../audit/ports.js';
import { AppError, toAppError } from '../core/errors.js';
import { type Logger, silentLogger } from '../core/logger.js';
import { withChangeScope } from '../directory/change-scope.js';
import type { ActionDefinition } from './action.js';
import { explainForbidden } from './explain-forbidden.js';
import { missingFrom, satisfies } from './permissions.js';
import type { ActionConnections, LocalDirectoryUpdates, MembershipChecker } from './ports.js';
import { ACTIONS, findAction } from './registry.js';

/** Who runs an action and from where: the OS user on the CLI, the account or API token on the server. */
export interface Actor {
  readonly name: string;
  readonly origin: AuditOrigin;
}

export interface ActionServiceOptions {
  readonly connections: ActionConnections;
  readonly directory: LocalDirectoryUpdates;
  readonly membership: MembershipChecker;
  readonly audit: AuditLog;
  readonly logger?: Logger;
}

/** What `GET /api/v1/actions`, `gatehouse action list` and docs/actions.md show for each action. */
export interface ActionDescription {
  readonly name: string;
  readonly summary: string;
  readonly write: boolean;
  readonly permissions: readonly (readonly string[])[];
  readonly input: TSchema;
  readonly output: TSchema;
}

/** Whether a connection's granted application permissions let it run an action, and what to add if not. */
export interface ActionAvailability {
  readonly name: string;
  readonly ok: boolean;
  /** The permissions of the least privileged set not granted yet (empty when ok). */
  readonly missing: string[];
}

export interface ActionService {
  list(): ActionDescription[];
  /** Which actions the roles of a connection's token allow (the doctor's `grantedRoles`, for the UI and reports). */
  availability(grantedRoles: readonly string[]): ActionAvailability[];
  /** Validates the input, runs the action through the connection, refreshes the local directory, audits writes. */
  run(connectionName: string, actionName: string, input: unknown, actor: Actor): Promise<unknown>;
}

/** Which actions the granted application permissions allow, and the least privileged permissions still missing. */
export function actionAvailability(grantedRoles: readonly string[]): ActionAvailability[] {
  return ACTIONS.map((action) => {
    const ok = satisfies(grantedRoles, action.permissions);
    return { name: action.name, ok, missing: ok ? [] : missingFrom(grantedRoles, action.permissions) };
  });
}

export function describeAction(action: ActionDefinition): ActionDescription {
  const { name, summary, write, permissions, input, output } = action;
  return { name, summary, write, permissions, input, output };
}

function resolveAction(name: string): ActionDefinition {
  const action = findAction(name);
  if (!action) {
    throw new AppError('ACTION_UNKNOWN', {
      message: `There is no action named '${name}'.`,
      details: { action: name, available: ACTIONS.map((a) => a.name) },
    });
  }
  return action;
}

/** Checks the input against the action's JSON Schema; every problem is listed with its JSON pointer. */
export function validateInput(action: ActionDefinition, input: unknown): unknown {
  if (Value.Check(action.input, input)) return input;
  const errors = [...Value.Errors(action.input, input)]
    .filter((e) => e.keyword !== 'boolean')
    .map((e) => {
      const unknown = (e.params as { additionalProperties?: unknown }).additionalProperties;
      const message = Array.isArray(unknown) ? `has unknown properties: ${unknown.join(', ')}` : e.message;
      return { path: e.instancePath || '/', message };
    });
  throw new AppError('ACTION_INVALID_INPUT', {
    message: `The input of ${action.name} does not match its schema: ${errors.map((e) => `${e.path} ${e.message}`).join('; ')}.`,
    details: { action: action.name, errors },
  });
}

export function createActionService(options: ActionServiceOptions): ActionService {
  const logger = options.logger ?? silentLogger;
  return {
    list: () => ACTIONS.map(describeAction),
    availability: actionAvailability,

    async run(connectionName, actionName, rawInput, actor) {
      const action = resolveAction(actionName);
      const input = validateInput(action, rawInput);
      const writes = action.writes?.(input) ?? action.write;
      const connection = await options.connections.open(connectionName);
      const context = { connection, directory: options.directory, membership: options.membership };
      const record = async (summary: ReturnType<ActionDefinition['auditOf']>, failure?: AppError) => {
        if (!writes) return;
        // The Graph write already happened: a failing audit store is logged loudly but does not turn it into an error.
        await options.audit
          .record({
            actor: actor.name,
            origin: actor.origin,
            connection: connection.name,
            action: action.name,
            ...(summary.target ? { target: summary.target } : {}),
            result: failure ? 'failed' : 'succeeded',
            ...(failure ? { errorCode: failure.code } : {}),
            ...(summary.details ? { details: summary.details } : {}),
          })
          .catch((error: unknown) =>
            logger.error({ err: error, action: action.name, connection: connection.name }, 'audit log write failed'),
          );
      };
      try {
        const scope = { source: 'action' as const, actor: actor.name, events: 0 };
        const output = await withChangeScope(scope, () => action.run(context, input));
        await record(action.auditOf(input, output));
        logger.info({ action: action.name, connection: connection.name, actor: actor.name }, 'action succeeded');
        return output;
      } catch (thrown) {
        const target = action.auditOf(input).target;
        const error = toAppError(await explainForbidden(thrown, action, connection, target));
        await record(action.auditOf(input), error);
        logger.warn({ action: action.name, connection: connection.name, code: error.code }, 'action failed');
        throw error;
      }
    },
  };
}
