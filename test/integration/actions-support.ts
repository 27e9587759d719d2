import assert from 'node:assert/strict';
import { Value } from 'typebox/value';
import type { Actor } from '../../src/actions/action-service.js';
import { findAction } from '../../src/actions/registry.js';
import { AppError } from '../../src/core/errors.js';
import type { GatehouseFixture } from '../support/gatehouse-fixture.js';

export const actor: Actor = { name: 'workflow-test', origin: { channel: 'library' } };

/** Runs an action through the wired gatehouse and checks its output against the action's own output schema. */
export async function run<T = Record<string, unknown>>(
  fx: GatehouseFixture,
  action: string,
  input: unknown,
  connection = fx.connectionName,
): Promise<T> {
  const output = await fx.gatehouse.actions.run(connection, action, input, actor);
  const schema = findAction(action)?.output;
  assert.ok(schema, `action ${action} exists`);
  assert.ok(
    Value.Check(schema, output),
    `${action} output matches its schema: ${JSON.stringify([...Value.Errors(schema, output)].slice(0, 3))}`,
  );
  return output as T;
}

/** Runs an action that must fail and returns its AppError. */
export async function failure(
  fx: GatehouseFixture,
  action: string,
  input: unknown,
  connection = fx.connectionName,
): Promise<AppError> {
  try {
    await fx.gatehouse.actions.run(connection, action, input, actor);
  } catch (error) {
    assert.ok(error instanceof AppError, `expected an AppError, got ${String(error)}`);
    return error;
  }
  assert.fail(`${action} succeeded but was expected to fail`);
}

export async function connectionId(fx: GatehouseFixture, name = fx.connectionName): Promise<string> {
  return (await fx.gatehouse.connections.get(name)).id;
}
