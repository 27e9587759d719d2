import { type AppError, toAppError } from '../core/errors.js';
import type { GraphApi } from '../entra/graph-api.js';
import type { CapabilityName } from './capabilities.js';

/**
 * One cheap Graph read per capability, proving the granted permissions really work in the tenant (a token can
 * carry roles Graph still refuses, e.g. right after consent was withdrawn). gatehouse never writes during a test,
 * so the manage* capabilities prove their read side. Probes that send the same request share one answer.
 */
type Probe = (graph: GraphApi, run: (path: string) => Promise<unknown>) => Promise<string>;

const USERS = '/users?$top=1&$select=id';
const GROUPS = '/groups?$top=1&$select=id';

const PROBES: Record<CapabilityName, Probe> = {
  syncUsers: async (_graph, run) => {
    await run(USERS);
    return 'read users';
  },
  syncGroups: async (_graph, run) => {
    await run(GROUPS);
    return 'read groups';
  },
  checkMembershipLive: async (_graph, run) => {
    const userId = firstId(await run(USERS));
    if (!userId) return 'read users (the tenant has none to check memberships of)';
    await run(`/users/${encodeURIComponent(userId)}/transitiveMemberOf?$top=1&$select=id`);
    return "read a user's transitive group memberships";
  },
  manageUsers: async (_graph, run) => {
    await run(USERS);
    return 'read users (writes are not tried)';
  },
  manageGroupMembers: async (_graph, run) => {
    await run(GROUPS);
    return 'read groups (writes are not tried)';
  },
};

export interface ProbeResult {
  readonly capability: CapabilityName;
  readonly ok: boolean;
  /** What was proven, or the failure. */
  readonly summary: string;
  readonly error?: AppError;
}

/** Runs the probes of `capabilities` in table order, each request at most once. */
export async function runGraphProbes(graph: GraphApi, capabilities: readonly CapabilityName[]): Promise<ProbeResult[]> {
  const answers = new Map<string, Promise<unknown>>();
  const run = (path: string) => {
    let answer = answers.get(path);
    if (!answer) {
      answer = graph.request('GET', path).then((response) => response.body);
      answers.set(path, answer);
    }
    return answer;
  };
  const results: ProbeResult[] = [];
  for (const capability of capabilities) {
    try {
      results.push({ capability, ok: true, summary: await PROBES[capability](graph, run) });
    } catch (error) {
      const appError = toAppError(error);
      results.push({ capability, ok: false, summary: appError.message, error: appError });
    }
  }
  return results;
}

function firstId(body: unknown): string | undefined {
  if (typeof body !== 'object' || body === null) return undefined;
  const value = (body as { value?: unknown }).value;
  if (!Array.isArray(value)) return undefined;
  const id = (value[0] as { id?: unknown } | undefined)?.id;
  return typeof id === 'string' ? id : undefined;
}
