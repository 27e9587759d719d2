import { enc, post } from './api.js';

/**
 * Runs an identity action of the registry (POST /connections/{name}/actions/{action}): the same code, checks and
 * audit log as `gatehouse action run` and the CLI's users and groups commands.
 */
export async function runAction<T>(connection: string, action: string, input: unknown): Promise<T> {
  const reply = await post<{ output: T }>(`/connections/${enc(connection)}/actions/${enc(action)}`, { input });
  return reply.output;
}

/** A user as the actions answer (Graph's property names). */
export interface GraphUser {
  id: string;
  userPrincipalName: string;
  displayName: string | null;
  accountEnabled: boolean | null;
  mail?: string | null;
  jobTitle?: string | null;
  department?: string | null;
}

export interface MembershipOutcome {
  group: string;
  changed: string[];
  unchanged: string[];
  failed: { member: string; code: string; message: string }[];
}
