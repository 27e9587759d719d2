import { type Static, Type } from 'typebox';
import { Value } from 'typebox/value';
import { AppError } from '../core/errors.js';

/**
 * The file `connections export` writes and `connections import` reads. Secret parameters appear as
 * `{ key, secret: true }` without a value; with `--include-secrets` their values travel together in
 * `encryptedSecrets`, sealed with a passphrase-derived key. `examples/ms-entraid.sample.json` uses the same shape
 * with plain values (no `format`, `secret` or `encryptedSecrets` needed).
 */
export const EXPORT_FORMAT = 'gatehouse.connection';
export const EXPORT_FORMAT_VERSION = 1;

const ExportedParameter = Type.Object({
  key: Type.String({ minLength: 1 }),
  value: Type.Optional(Type.String()),
  secret: Type.Optional(Type.Boolean()),
  /** Set when the value is left out (a secret exported without --include-secrets). */
  fingerprint: Type.Optional(Type.String()),
});

export const ConnectionExportSchema = Type.Object({
  format: Type.Optional(Type.Literal(EXPORT_FORMAT)),
  formatVersion: Type.Optional(Type.Literal(EXPORT_FORMAT_VERSION)),
  exportedAt: Type.Optional(Type.String()),
  name: Type.String(),
  type: Type.String(),
  parameters: Type.Array(ExportedParameter),
  /** Passphrase-sealed JSON object `{ key: value }` of the secret parameters. */
  encryptedSecrets: Type.Optional(Type.String()),
});

export type ConnectionExport = Static<typeof ConnectionExportSchema>;

/** Parses an import file's JSON at the boundary; throws CONNECTION_IMPORT_INVALID listing what is wrong. */
export function parseConnectionExport(json: unknown): ConnectionExport {
  if (Value.Check(ConnectionExportSchema, json)) return json;
  const errors = [...Value.Errors(ConnectionExportSchema, json)]
    .slice(0, 10)
    .map((e) => `${e.instancePath || '/'} ${e.message}`);
  throw new AppError('CONNECTION_IMPORT_INVALID', {
    message: `The import file is not a gatehouse connection: ${errors.join('; ')}.`,
    details: { errors },
  });
}

/** Parses the secrets object inside `encryptedSecrets` after decryption. */
export function parseSealedSecrets(text: string): Record<string, string> {
  const schema = Type.Record(Type.String(), Type.String());
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (!Value.Check(schema, parsed)) {
    throw new AppError('CONNECTION_IMPORT_INVALID', { message: 'The encrypted secrets in the export are malformed.' });
  }
  return parsed;
}
