import type { CredentialExpiry } from '../connections/connection.js';
import type { AppError, ErrorCode } from '../core/errors.js';
import type { CapabilityName, CapabilityStatus } from './capabilities.js';

/** The checks, in the order they run (product.md section 4). */
export const CHECK_IDS = ['parameters', 'token', 'permissions', 'graph', 'expiry'] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export type CheckStatus = 'pass' | 'fail' | 'warn' | 'skip';

/** One check's outcome: a failing or warning check carries the error code and the hint that says what to do. */
export interface DoctorCheck {
  id: CheckId;
  status: CheckStatus;
  code?: ErrorCode;
  message: string;
  hint?: string;
  /** Non-secret structured facts (AADSTS numbers, trace ids, missing permissions per capability). */
  details?: Record<string, unknown>;
}

/**
 * The connection test report; `--json` prints exactly this (product.md section 4). `ok` is false iff a check failed.
 */
export interface DoctorReport {
  connection: string;
  ok: boolean;
  /** ISO time the test ran. */
  testedAt: string;
  checks: DoctorCheck[];
  /** The `roles` claim of the token the test obtained (empty when none or the token failed). */
  grantedRoles: string[];
  capabilities: Partial<Record<CapabilityName, CapabilityStatus>>;
  /** When the token obtained by the test expires (ISO), if one was obtained. */
  tokenExpiresAt?: string;
  /** When the secret or certificate in use expires, and from where (Graph, or the fallbacks). */
  credentialExpiry?: CredentialExpiry;
}

export function passed(id: CheckId, message: string, details?: Record<string, unknown>): DoctorCheck {
  return { id, status: 'pass', message, ...(details ? { details } : {}) };
}

export function skipped(id: CheckId, message: string): DoctorCheck {
  return { id, status: 'skip', message };
}

/** A failing (or warning) check from an AppError: its code, message, hint and details. */
export function fromError(id: CheckId, error: AppError, status: 'fail' | 'warn' = 'fail'): DoctorCheck {
  return {
    id,
    status,
    code: error.code,
    message: error.message,
    hint: error.hint,
    ...(Object.keys(error.details).length > 0 ? { details: { ...error.details } } : {}),
  };
}

const MARKS: Record<CheckStatus, string> = { pass: 'PASS', fail: 'FAIL', warn: 'WARN', skip: 'SKIP' };

/** The report for people: one block per check, then the capabilities. */
export function renderDoctorText(report: DoctorReport): string {
  const lines = [`Connection '${report.connection}': ${report.ok ? 'OK' : 'FAILED'}`, ''];
  for (const check of report.checks) {
    lines.push(`${MARKS[check.status]}  ${check.id}${check.code ? ` (${check.code})` : ''}: ${check.message}`);
    if (check.hint && check.status !== 'pass') lines.push(`      hint: ${check.hint}`);
  }
  if (report.grantedRoles.length > 0)
    lines.push('', `Granted application permissions: ${report.grantedRoles.join(', ')}`);
  const capabilities = Object.entries(report.capabilities) as [CapabilityName, CapabilityStatus][];
  if (capabilities.length > 0) {
    lines.push('', 'Capabilities:');
    for (const [name, status] of capabilities) {
      lines.push(`  ${status.ok ? 'yes' : 'no '}  ${name}${status.ok ? '' : ` (add: ${status.missing.join(', ')})`}`);
    }
  }
  return lines.join('\n');
}
