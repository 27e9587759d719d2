import fc from 'fast-check';

/**
 * Property-based fuzzing settings (issue 12). `npm test` runs a few hundred cases per property with a fixed seed, so
 * a failure reproduces; `npm run fuzz` (scripts/fuzz.mjs) sets FUZZ_RUNS (default 5000) and may set FUZZ_SEED.
 */
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 1_202_612);

export function fuzzRuns(inTests: number): number {
  const fromEnv = Number(process.env.FUZZ_RUNS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : inTests;
}

export function fuzzParameters(inTests: number): fc.Parameters<unknown> {
  return { seed: FUZZ_SEED, numRuns: fuzzRuns(inTests), endOnFailure: true };
}

/** Strings that break naive code: traversal, encodings, bidi and zero-width marks, huge numbers, JSON and SQL. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.constantFrom(
    '',
    ' ',
    '..',
    '../..',
    '/../admin/x',
    '%2e%2e%2f',
    '%00',
    '\u0000',
    '\u202eEmu',
    'E\u200bmu',
    '\u2028',
    'Ｅｍｕ',
    '1e30',
    '-1',
    'NaN',
    'Infinity',
    '9007199254740993',
    '__proto__',
    'constructor',
    '{"a":1}',
    "' OR 1=1 --",
    'https://attacker.example',
    'env:HOME',
    '00000000-0000-0000-0000-000000000000',
    'x'.repeat(5000),
  ),
);

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  additionalProperties?: boolean | Schema;
};

const json = fc.jsonValue({ maxDepth: 2 });

/** A value near a JSON schema (the REST route's), mixed with arbitrary JSON: most pass validation, some do not. */
export function fromSchema(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 4) return json;
  const near = ((): fc.Arbitrary<unknown> => {
    if (schema.const !== undefined) return fc.constant(schema.const);
    if (schema.enum) return fc.constantFrom(...schema.enum);
    const union = schema.anyOf ?? schema.oneOf;
    if (union && union.length > 0) return fc.oneof(...union.map((s) => fromSchema(s, depth + 1)));
    const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
    switch (type) {
      case 'object': {
        const properties = Object.entries(schema.properties ?? {});
        const record: Record<string, fc.Arbitrary<unknown>> = {};
        for (const [key, value] of properties) record[key] = fromSchema(value, depth + 1);
        return fc.record(record, { requiredKeys: schema.required?.filter((k) => k in record) ?? [] });
      }
      case 'array':
        return fc.array(fromSchema(schema.items, depth + 1), { maxLength: Math.min(schema.maxItems ?? 4, 4) });
      case 'string':
        return nastyString;
      case 'integer':
        return fc.oneof(
          fc.integer({ min: schema.minimum ?? -10, max: Math.min(schema.maximum ?? 1000, 1_000_000) }),
          fc.constantFrom(1e30, -1, 0, 2 ** 53 + 2),
        );
      case 'number':
        return fc.oneof(fc.double({ noNaN: true }), fc.constantFrom(1e30, -1));
      case 'boolean':
        return fc.boolean();
      default:
        return json;
    }
  })();
  return fc.oneof({ arbitrary: near, weight: 4 }, { arbitrary: json, weight: 1 });
}
