import { AppError } from '../core/errors.js';
import type { ConnectionType, ParameterSpec } from './connection-type.js';

/** A parameter as the administrator typed it. */
export interface ParameterInput {
  readonly key: string;
  readonly value: string;
}

export interface NormalizedParameter {
  readonly spec: ParameterSpec;
  /** Trimmed value. */
  readonly value: string;
}

export interface NormalizedParameters {
  readonly parameters: NormalizedParameter[];
  /** Canonical keys whose value had leading or trailing whitespace removed. */
  readonly trimmed: string[];
}

/** Finds the spec for `key` regardless of case; throws CONNECTION_UNKNOWN_PARAMETER listing the valid keys. */
export function findSpec(type: ConnectionType, key: string): ParameterSpec {
  const wanted = key.trim().toLowerCase();
  const spec = type.parameters.find((p) => p.key.toLowerCase() === wanted);
  if (!spec) {
    const validKeys = type.parameters.map((p) => p.key);
    throw new AppError('CONNECTION_UNKNOWN_PARAMETER', {
      message: `Unknown parameter '${key}' for type ${type.name}. Valid keys: ${validKeys.join(', ')}.`,
      details: { key, validKeys },
    });
  }
  return spec;
}

/**
 * Maps keys to their canonical spelling, refuses unknown and duplicate keys (both with the list of valid keys), and
 * trims values, reporting which keys were trimmed (the seed's "no extra spaces" rule, enforced).
 */
export function normalizeParameters(type: ConnectionType, inputs: readonly ParameterInput[]): NormalizedParameters {
  const seen = new Set<string>();
  const trimmed: string[] = [];
  const parameters = inputs.map((input) => {
    const spec = findSpec(type, input.key);
    if (seen.has(spec.key)) {
      throw new AppError('CONNECTION_DUPLICATE_PARAMETER', {
        message: `Parameter ${spec.key} is given more than once (keys are matched regardless of case). Valid keys: ${type.parameters.map((p) => p.key).join(', ')}.`,
        details: { key: spec.key, validKeys: type.parameters.map((p) => p.key) },
      });
    }
    seen.add(spec.key);
    const value = input.value.trim();
    if (value !== input.value) trimmed.push(spec.key);
    return { spec, value };
  });
  return { parameters, trimmed };
}

/** Checks that every required key is present and the type's cross-key rules hold. */
export function checkRequiredKeys(type: ConnectionType, keys: ReadonlySet<string>): void {
  for (const spec of type.parameters) {
    if (spec.required && !keys.has(spec.key)) {
      throw new AppError('CONNECTION_MISSING_PARAMETER', {
        message: `Parameter ${spec.key} is required for type ${type.name} (${spec.hint}).`,
        details: { key: spec.key, validKeys: type.parameters.map((p) => p.key) },
      });
    }
  }
  type.validateKeys(keys);
}
