import { Type } from 'typebox';
import { Compile } from 'typebox/compile';
import { AppError, isAppError } from '../core/errors.js';
import type { MembershipAnswer, PathStep } from '../directory/directory-model.js';
import type { GraphApi } from './graph-api.js';

const Named = Compile(
  Type.Object({ id: Type.String(), displayName: Type.Optional(Type.Union([Type.String(), Type.Null()])) }),
);
const IdList = Compile(Type.Object({ value: Type.Array(Type.String()) }));
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Upper bound on `memberOf` reads spent on explaining a path (the yes/no answer costs one checkMemberGroups). */
const MAX_PATH_REQUESTS = 25;

function step(item: unknown): PathStep {
  if (!Named.Check(item))
    throw new AppError('GRAPH_INVALID_RESPONSE', { message: 'Graph sent a group without an id.' });
  return { id: item.id, displayName: item.displayName ?? item.id };
}

async function resolveUser(graph: GraphApi, user: string): Promise<string> {
  try {
    const response = await graph.request(`GET`, `/users/${encodeURIComponent(user.trim())}?$select=id`);
    return step(response.body).id;
  } catch (error) {
    if (isAppError(error) && error.code === 'GRAPH_NOT_FOUND') {
      throw new AppError('DIRECTORY_USER_NOT_FOUND', {
        message: `No user '${user}' in the tenant.`,
        details: { user },
      });
    }
    throw error;
  }
}

async function resolveGroup(graph: GraphApi, group: string): Promise<PathStep> {
  const key = group.trim();
  if (GUID.test(key)) {
    try {
      return step((await graph.request('GET', `/groups/${key}?$select=id,displayName`)).body);
    } catch (error) {
      if (!isAppError(error) || error.code !== 'GRAPH_NOT_FOUND') throw error;
    }
  }
  const filter = encodeURIComponent(`displayName eq '${key.replace(/'/g, "''")}'`);
  const found: PathStep[] = [];
  for await (const page of graph.pages(`/groups?$filter=${filter}&$select=id,displayName`)) {
    found.push(...page.value.map(step));
  }
  if (found.length === 1 && found[0]) return found[0];
  if (found.length > 1) {
    throw new AppError('DIRECTORY_AMBIGUOUS_GROUP', {
      message: `${found.length} groups are named '${group}'.`,
      details: { group, candidates: found },
    });
  }
  throw new AppError('DIRECTORY_GROUP_NOT_FOUND', {
    message: `No group '${group}' in the tenant.`,
    details: { group },
  });
}

async function groupsOf(graph: GraphApi, path: string): Promise<PathStep[]> {
  const out: PathStep[] = [];
  for await (const page of graph.pages(`${path}/memberOf/microsoft.graph.group?$select=id,displayName`)) {
    out.push(...page.value.map(step));
  }
  return out;
}

/** Walks up from the user's direct groups (breadth first, bounded) to explain a confirmed membership. */
async function explain(graph: GraphApi, userId: string, target: PathStep): Promise<PathStep[]> {
  const cameFrom = new Map<string, { step: PathStep; below?: string }>();
  let frontier = await groupsOf(graph, `/users/${userId}`);
  for (const g of frontier) cameFrom.set(g.id, { step: g });
  let requests = 1;
  while (frontier.length > 0 && requests < MAX_PATH_REQUESTS) {
    const hit = frontier.find((g) => g.id === target.id);
    if (hit) {
      const path: PathStep[] = [];
      for (let id: string | undefined = hit.id; id; id = cameFrom.get(id)?.below) {
        path.unshift((cameFrom.get(id) as { step: PathStep }).step);
      }
      return path;
    }
    const next: PathStep[] = [];
    for (const g of frontier) {
      if (requests++ >= MAX_PATH_REQUESTS) break;
      for (const parent of await groupsOf(graph, `/groups/${g.id}`)) {
        if (cameFrom.has(parent.id)) continue;
        cameFrom.set(parent.id, { step: parent, below: g.id });
        next.push(parent);
      }
    }
    frontier = next;
  }
  return [target];
}

/**
 * Asks Graph whether USER is a member of GROUP at any depth (`checkMemberGroups`, facts C.4 — on the `/users/{id}`
 * path so User.Read.All + GroupMember.Read.All suffice), and when so, which groups lead there.
 */
export async function checkMembershipLive(graph: GraphApi, user: string, group: string): Promise<MembershipAnswer> {
  const [userId, target] = await Promise.all([resolveUser(graph, user), resolveGroup(graph, group)]);
  const response = await graph.request('POST', `/users/${userId}/checkMemberGroups`, {
    body: { groupIds: [target.id] },
  });
  if (!IdList.Check(response.body)) {
    throw new AppError('GRAPH_INVALID_RESPONSE', { message: 'checkMemberGroups answered without a value list.' });
  }
  const member = response.body.value.some((id) => id.toLowerCase() === target.id.toLowerCase());
  return { member, path: member ? await explain(graph, userId, target) : [], source: 'live' };
}
