/**
 * One line of the audit log: who did what, through which connection, to which object, with what result, when and
 * from where. Written by actions (every write), and by the server (logins, admin changes).
 *
 * Never put a secret, a password or a token in any field: `details` holds counts and ids only.
 */
export type AuditResult = 'succeeded' | 'failed';

/** Where the request came from: the CLI on this machine, the REST API, or the web UI (with the client address). */
export interface AuditOrigin {
  readonly channel: 'cli' | 'api' | 'ui' | 'library' | 'scheduler';
  /** Client address for API/UI calls, host name for the CLI. */
  readonly address?: string;
}

export interface AuditEventInput {
  /** Who: the OS user (CLI), the account or API token name (server), or `cli`/`library` when unknown. */
  readonly actor: string;
  readonly origin: AuditOrigin;
  /** The connection's name, when the event concerns one. */
  readonly connection?: string;
  /** Stable action name, e.g. `group.addMember`, `auth.login`, `connection.update`. */
  readonly action: string;
  /** The object acted on (user id/UPN, group id, connection name). */
  readonly target?: string;
  readonly result: AuditResult;
  /** The AppError code when the result is `failed`. */
  readonly errorCode?: string;
  /** Non-secret structured context (ids changed, counts). */
  readonly details?: Readonly<Record<string, unknown>>;
}

export interface AuditEvent extends AuditEventInput {
  readonly id: string;
  readonly at: Date;
}
