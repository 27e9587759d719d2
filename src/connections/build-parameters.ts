import { createHash } from 'node:crypto';
import { AppError } from '../core/errors.js';
import type { StoredParameter } from './connection.js';
import type { ConnectionType, ValidationContext } from './connection-type.js';
import { checkRequiredKeys, findSpec, normalizeParameters, type ParameterInput } from './normalize-parameters.js';
import { isPlaceholder } from './placeholder.js';
import type { SecretCipher } from './ports.js';
import { assertEndpointsAllowed, secretBinding } from './secret-binding.js';

export interface BuiltParameters {
  readonly parameters: StoredParameter[];
  readonly trimmed: string[];
  readonly warnings: string[];
}

export interface BuildParametersOptions {
  readonly type: ConnectionType;
  /** Parameters kept from the stored connection (update), in their order. */
  readonly existing?: readonly StoredParameter[];
  /** New or replaced values; a replaced key keeps its position, a new key is appended. */
  readonly changes: readonly ParameterInput[];
  /** Canonical or any-case keys to remove (update --unset). */
  readonly unset?: readonly string[];
  readonly context: ValidationContext;
  readonly cipher: SecretCipher;
  /** The id of the connection the parameters belong to: new secrets are sealed for it (and for its endpoints). */
  readonly connectionId: string;
  /** GATEHOUSE_ALLOWED_ENDPOINT_HOSTS: hosts allowed beyond Microsoft's clouds and loopback. */
  readonly allowedEndpointHosts?: readonly string[];
}

/** "sha256:1a2b3c4d", the same shape as Secret.fingerprint(). */
export function fingerprintOf(value: string): string {
  return `sha256:${createHash('sha256').update(value).digest('hex').slice(0, 8)}`;
}

/**
 * Validates changed values with their key's validator, encrypts secret ones, merges them into the kept parameters
 * and checks the type's required-key rules on the result. Kept values are not re-validated (a secret saved with
 * --allow-guid-secret stays valid when another key changes).
 */
export function buildParameters(options: BuildParametersOptions): BuiltParameters {
  const { type, context, cipher } = options;
  const { parameters: normalized, trimmed } = normalizeParameters(type, options.changes);
  const unset = new Set((options.unset ?? []).map((key) => findSpec(type, key).key));
  assertNoPlaceholders(normalized.filter((p) => isPlaceholder(p.value)).map((p) => p.spec));
  const warnings: string[] = [];
  const setAt = context.now.toISOString();
  const changed = new Map<string, StoredParameter>();
  // Secret values wait here until the final parameters are known: they are sealed for the endpoints they will go to.
  const plaintexts = new Map<string, string>();
  for (const { spec, value } of normalized) {
    const validated = spec.validate(value, context);
    warnings.push(...(validated.warnings ?? []));
    if (spec.secret) plaintexts.set(spec.key, validated.value);
    changed.set(
      spec.key,
      spec.secret
        ? {
            key: spec.key,
            secret: true,
            envelope: '',
            fingerprint: fingerprintOf(validated.value),
            setAt,
            ...(validated.info ? { info: validated.info } : {}),
          }
        : { key: spec.key, secret: false, value: validated.value },
    );
  }
  const kept = (options.existing ?? []).filter((p) => !unset.has(p.key)).map((p) => changed.get(p.key) ?? p);
  const added = [...changed.values()].filter((p) => !kept.some((k) => k.key === p.key));
  const merged = [...kept, ...added];
  assertEndpointsAllowed(merged, options.allowedEndpointHosts ?? []);
  // Kept secrets are NOT re-sealed: sealed for the endpoints they were entered for, they stop opening when an
  // endpoint changes (CONNECTION_SECRET_REQUIRED) until they are entered again (issue 12 finding 1).
  const parameters = merged.map((p) => {
    const plaintext = p.secret ? plaintexts.get(p.key) : undefined;
    return p.secret && plaintext !== undefined
      ? { ...p, envelope: cipher.encrypt(plaintext, secretBinding(options.connectionId, p.key, merged)) }
      : p;
  });
  checkRequiredKeys(type, new Set(parameters.map((p) => p.key)));
  return { parameters, trimmed, warnings };
}

/** Names every key that still holds a placeholder at once, so a filled-in sample fails once, not once per key. */
function assertNoPlaceholders(specs: readonly { key: string; hint: string }[]): void {
  if (specs.length === 0) return;
  const keys = specs.map((s) => s.key);
  throw new AppError('CONNECTION_PLACEHOLDER_VALUE', {
    message: `${keys.join(', ')} still ${keys.length === 1 ? 'holds a placeholder value' : 'hold placeholder values'}; replace ${keys.length === 1 ? 'it' : 'them'} with your app registration's values.`,
    hint: specs.map((s) => `${s.key}: ${s.hint}`).join('; '),
    details: { placeholders: keys },
  });
}
