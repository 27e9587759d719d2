import type { ParameterSpecView } from './types.js';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * What the dialog tells the administrator as they type, before the server validates: the seed's "no extra
 * spaces" rule and its first troubleshooting tip (the Secret ID pasted instead of the secret Value).
 */
export function parameterWarnings(
  key: string,
  value: string,
  spec: ParameterSpecView | undefined,
  known: boolean,
): string[] {
  const warnings: string[] = [];
  if (key.trim() !== '' && !known) warnings.push(`"${key.trim()}" is not a parameter of this type.`);
  if (value !== value.trim()) warnings.push('Leading or trailing spaces: they will be removed when you save.');
  if (spec?.key === 'ClientSecret' && GUID.test(value.trim())) {
    warnings.push(
      'This looks like the Secret ID (a GUID), not the secret Value. Copy the Value column under Certificates & secrets.',
    );
  }
  return warnings;
}

export function findSpec(specs: readonly ParameterSpecView[], key: string): ParameterSpecView | undefined {
  const wanted = key.trim().toLowerCase();
  return specs.find((spec) => spec.key.toLowerCase() === wanted);
}
