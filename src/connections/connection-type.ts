/**
 * What a connection type declares: its parameters (key, label, required, secret, validator, where to find the value
 * in the Azure portal) and the rules that span several parameters. The service applies them the same way for
 * create, update, copy and import.
 */
export interface ValidationContext {
  /** `--allow-guid-secret`: accept a GUID-shaped ClientSecret. */
  readonly allowGuidSecret: boolean;
  readonly now: Date;
}

export interface ValidatedValue {
  /** The value to store (canonical form, e.g. an origin without a trailing slash). */
  readonly value: string;
  /** Non-secret facts derived from a secret value (certificate thumbprints, expiry), shown by `show`. */
  readonly info?: Readonly<Record<string, string>>;
  /** Things worth telling the administrator that do not block saving (an expiry date that is near). */
  readonly warnings?: readonly string[];
}

export interface ParameterSpec {
  /** Canonical key spelling; input keys are matched regardless of case. */
  readonly key: string;
  readonly label: string;
  readonly required: boolean;
  readonly secret: boolean;
  /** Where to find the value, e.g. "Overview page of your App Registration: Directory (tenant) ID". */
  readonly hint: string;
  /** Throws AppError (CONNECTION_INVALID_PARAMETER, CONNECTION_PLACEHOLDER_VALUE, ...) naming the key. */
  validate(value: string, context: ValidationContext): ValidatedValue;
}

export interface ConnectionType {
  /** Type name as given with `--type` (matched regardless of case). */
  readonly name: string;
  readonly description: string;
  /** In the order forms and `connections types` list them. */
  readonly parameters: readonly ParameterSpec[];
  /** Rules on the final set of keys (e.g. exactly one credential); throws AppError. */
  validateKeys(keys: ReadonlySet<string>): void;
}
