import { ERROR_CATALOGUE, type ErrorCode, type ErrorSpec } from './error-catalogue.js';
import { classifyStoreFailure } from './store-failure.js';

export type { ErrorCode } from './error-catalogue.js';

/** Non-secret structured context. Never put a secret value (or anything derived from one but a fingerprint) here. */
export type ErrorDetails = Readonly<Record<string, unknown>>;

export interface AppErrorOptions {
  /** Names the thing: "Connection 'hr-prod' does not exist." Defaults to the catalogue's message. */
  message?: string;
  /** Overrides the catalogue's hint when a more specific one is known. */
  hint?: string;
  /** The console's and REST's wording of a `hint` that names CLI commands or flags (see ErrorSpec.uiHint). */
  uiHint?: string;
  details?: ErrorDetails;
  cause?: unknown;
}

/**
 * The one error type of gatehouse. `code` is a stable UPPER_SNAKE code from the catalogue; `hint` says what to do;
 * `details` carries structured, non-secret context. Routine outcomes (not a member, test failed) are values, not
 * errors.
 */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly code: ErrorCode;
  readonly hint: string;
  /** What the web console and REST answers say to do: `hint` without CLI commands and flags. */
  readonly uiHint: string;
  readonly details: ErrorDetails;

  constructor(code: ErrorCode, options: AppErrorOptions = {}) {
    const spec = ERROR_CATALOGUE[code];
    super(options.message ?? spec.message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.hint = options.hint ?? spec.hint;
    const catalogued: ErrorSpec = spec;
    this.uiHint = options.uiHint ?? (options.hint !== undefined ? options.hint : (catalogued.uiHint ?? spec.hint));
    this.details = options.details ?? {};
  }

  /** HTTP status for the REST API. */
  get status(): number {
    return ERROR_CATALOGUE[this.code].status;
  }

  /** CLI exit code: 2 for bad input, 1 when the operation failed. */
  get exitCode(): 1 | 2 {
    return ERROR_CATALOGUE[this.code].exit;
  }

  /** The public shape: what the CLI prints with --json. */
  toJSON(): { code: ErrorCode; message: string; hint: string; details: ErrorDetails } {
    return { code: this.code, message: this.message, hint: this.hint, details: this.details };
  }

  /** The shape the REST API answers with (plus requestId): the same, with the console's wording of the hint. */
  toApiJSON(): { code: ErrorCode; message: string; hint: string; details: ErrorDetails } {
    return { ...this.toJSON(), hint: this.uiHint };
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Wraps anything thrown into an AppError; unknown failures become INTERNAL without their internal text. */
export function toAppError(value: unknown): AppError {
  if (value instanceof AppError) return value;
  return classifyStoreFailure(value) ?? new AppError('INTERNAL', { cause: value });
}
