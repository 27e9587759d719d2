import { type Static, Type } from 'typebox';
import { AppError } from '../core/errors.js';
import type { GraphApi } from '../entra/graph-api.js';
import { type ActionContext, defineAction } from './action.js';
import { type BatchItemResult, isSuccess, itemError, sendBatched } from './batched-writes.js';
import { isNotYetVisible, replicationDelays } from './eventual-consistency.js';
import { type Group, parseUser, USER_SELECT, type User } from './graph-objects.js';
import { GroupRef } from './group-read-actions.js';
import { isObjectId, userSegment } from './object-ids.js';
import { WRITE_GROUP_MEMBERS } from './permissions.js';
import { getGroup } from './resolve-objects.js';

const MembershipInput = Type.Object(
  {
    group: GroupRef,
    members: Type.Array(Type.String({ minLength: 1 }), {
      minItems: 1,
      maxItems: 5000,
      description: 'Object ids (users or groups) or userPrincipalNames.',
    }),
  },
  { additionalProperties: false },
);

const Failure = Type.Object({
  member: Type.String(),
  code: Type.String({ description: 'The gatehouse error code (docs/errors.md).' }),
  message: Type.String(),
});

const MembershipOutput = Type.Object({
  group: Type.String({ description: 'The group object id.' }),
  changed: Type.Array(Type.String(), { description: 'Member ids whose membership changed.' }),
  unchanged: Type.Array(Type.String(), { description: 'Member ids that were already as asked.' }),
  failed: Type.Array(Failure, { description: 'Members that could not be changed, each with its error.' }),
});

interface Outcome {
  group: string;
  changed: string[];
  unchanged: string[];
  failed: { member: string; code: string; message: string; error: AppError }[];
}

interface ResolvedMembers {
  ids: string[];
  /** Users named by userPrincipalName, as Graph returned them (written to the local directory with the change). */
  users: User[];
}

/** Resolves the given members to object ids: ids as given, userPrincipalNames read in batches of 20. */
async function resolveMembers(graph: GraphApi, members: readonly string[], outcome: Outcome): Promise<ResolvedMembers> {
  const ids = new Set(members.filter(isObjectId).map((m) => m.toLowerCase()));
  const names = [...new Set(members.filter((m) => !isObjectId(m)))];
  const found = await sendBatched(graph, names, (upn) => ({
    method: 'GET',
    url: `/users/${userSegment(upn)}?$select=${USER_SELECT}`,
  }));
  const users: User[] = [];
  for (const { key, response } of found) {
    if (!isSuccess(response.status)) {
      recordFailure(outcome, key, itemError(response), `User '${key}' does not exist in the tenant.`);
      continue;
    }
    const user = parseUser(response.body);
    ids.add(user.id);
    users.push(user);
  }
  return { ids: [...ids], users };
}

function recordFailure(outcome: Outcome, member: string, error: AppError, notFoundMessage?: string): void {
  const message = error.code === 'GRAPH_NOT_FOUND' && notFoundMessage ? notFoundMessage : error.message;
  outcome.failed.push({ member, code: error.code, message, error });
}

/**
 * Sends the writes, and sends again (after the next back-off wait) those Graph answered "does not exist": the
 * referenced object may have been created a moment ago and not have replicated yet. `retried` = keys sent again.
 */
async function sendWhileReplicating(
  connection: ActionContext['connection'],
  keys: readonly string[],
  delays: readonly number[],
  toRequest: Parameters<typeof sendBatched<string>>[2],
): Promise<{ results: BatchItemResult<string>[]; retried: Set<string> }> {
  const latest = new Map<string, BatchItemResult<string>>();
  const retried = new Set<string>();
  let pending = [...keys];
  for (let attempt = 0; pending.length > 0; attempt++) {
    for (const result of await sendBatched(connection.graph, pending, toRequest)) latest.set(result.key, result);
    const wait = delays[attempt];
    pending = pending.filter((key) => isNotYetVisible((latest.get(key) as BatchItemResult<string>).response));
    if (wait === undefined || pending.length === 0) break;
    for (const key of pending) retried.add(key);
    await connection.sleep(wait);
  }
  return { results: keys.map((key) => latest.get(key) as BatchItemResult<string>), retried };
}

function notReplicated(key: string, response: BatchItemResult<string>['response']): AppError {
  return new AppError('GRAPH_NOT_YET_REPLICATED', {
    message: `Object '${key}' was still not found after retrying for about 30 seconds.`,
    details: { member: key, status: response.status },
    cause: itemError(response),
  });
}

/** The ids of a group's direct members (one request per 999 members). */
async function directMemberIds(graph: GraphApi, groupId: string): Promise<Set<string>> {
  const ids = new Set<string>();
  for await (const page of graph.pages<Record<string, unknown>>(`/groups/${groupId}/members?$select=id&$top=999`)) {
    for (const item of page.value) if (typeof item.id === 'string') ids.add(item.id.toLowerCase());
  }
  return ids;
}

/** When nothing worked and every member failed the same way, the whole action failed: throw that error. */
function finish(
  outcome: Outcome,
): Omit<Outcome, 'failed'> & { failed: { member: string; code: string; message: string }[] } {
  const [first] = outcome.failed;
  const allSame = first && outcome.failed.every((f) => f.code === first.code);
  if (first && allSame && outcome.changed.length === 0 && outcome.unchanged.length === 0) throw first.error;
  return { ...outcome, failed: outcome.failed.map(({ member, code, message }) => ({ member, code, message })) };
}

/**
 * Members of dynamic groups follow their rule, and on-premises-synced groups are changed in Active Directory: Graph
 * refuses both (facts C.6). Said up front, by the group's properties, instead of one 400 per member.
 */
function assertMembersWritable(group: Group): void {
  const name = group.displayName ?? group.id;
  if (group.groupTypes?.includes('DynamicMembership')) {
    throw new AppError('GRAPH_BAD_REQUEST', {
      message: `Group '${name}' has dynamic membership: its members follow its rule and cannot be added or removed.`,
      hint: 'Change the membership rule in the Azure portal, or use a group with assigned membership.',
      details: { group: group.id, membershipRule: group.membershipRule ?? null },
    });
  }
  if (group.onPremisesSyncEnabled === true) {
    throw new AppError('GRAPH_BAD_REQUEST', {
      message: `Group '${name}' is synced from on-premises Active Directory; its members cannot be changed in Entra ID.`,
      hint: 'Change the membership in Active Directory; Entra Connect syncs it to the cloud.',
      details: { group: group.id },
    });
  }
}

async function addMembers({ connection, directory }: ActionContext, group: Group, members: readonly string[]) {
  assertMembersWritable(group);
  const outcome: Outcome = { group: group.id, changed: [], unchanged: [], failed: [] };
  const { ids, users } = await resolveMembers(connection.graph, members, outcome);
  const delays = replicationDelays();
  const { results, retried } = await sendWhileReplicating(connection, ids, delays, (id) => ({
    method: 'POST',
    url: `/groups/${group.id}/members/$ref`,
    body: { '@odata.id': `${connection.graphEndpoint}/v1.0/directoryObjects/${id}` },
  }));
  // Graph answers 400 Request_BadRequest for a member who is already in the group, and for other bad requests
  // too; only a read tells them apart (never the English message text). After a retried 404 the 400 may be our own
  // first attempt having landed (the "already a member" race): the read may lag too, so it is repeated a little.
  const rejected = results.filter((r) => r.response.status === 400 && !isNotYetVisible(r.response));
  let current = rejected.length > 0 ? await directMemberIds(connection.graph, group.id) : new Set<string>();
  const raced = () => rejected.filter((r) => retried.has(r.key) && !current.has(r.key.toLowerCase()));
  for (const wait of delays.slice(0, 4)) {
    if (raced().length === 0) break;
    await connection.sleep(wait);
    current = await directMemberIds(connection.graph, group.id);
  }
  for (const { key, response } of results) {
    if (isSuccess(response.status)) outcome.changed.push(key);
    else if (response.status === 400 && current.has(key.toLowerCase())) outcome.unchanged.push(key);
    else if (retried.has(key) && isNotYetVisible(response)) recordFailure(outcome, key, notReplicated(key, response));
    else recordFailure(outcome, key, itemError(response), `Object '${key}' does not exist in the tenant.`);
  }
  await directory.membersAdded(connection.id, group, [...outcome.changed, ...outcome.unchanged], users);
  return finish(outcome);
}

async function removeMembers({ connection, directory }: ActionContext, group: Group, members: readonly string[]) {
  assertMembersWritable(group);
  const outcome: Outcome = { group: group.id, changed: [], unchanged: [], failed: [] };
  const { ids } = await resolveMembers(connection.graph, members, outcome);
  // Always with `/$ref`: without it Graph may delete the object itself (facts C.6).
  const results = await sendBatched(connection.graph, ids, (id) => ({
    method: 'DELETE',
    url: `/groups/${group.id}/members/${id}/$ref`,
  }));
  for (const { key, response } of results) {
    if (isSuccess(response.status)) outcome.changed.push(key);
    // 404 on DELETE …/members/{id}/$ref: the object is not a member (the group itself was just read).
    else if (response.status === 404) outcome.unchanged.push(key);
    else recordFailure(outcome, key, itemError(response));
  }
  await directory.membersRemoved(connection.id, group, [...outcome.changed, ...outcome.unchanged]);
  return finish(outcome);
}

/** Audit rows name the members of small changes; bulk changes are summarised by counts to keep rows small. */
const AUDITED_IDS = 100;
function membershipAudit(input: Static<typeof MembershipInput>, output?: Static<typeof MembershipOutput>) {
  const target = output?.group ?? input.group;
  if (!output) return { target, details: { members: input.members.length } };
  const failed = output.failed.map((f) => f.member);
  const total = output.changed.length + output.unchanged.length + failed.length;
  const details =
    total <= AUDITED_IDS
      ? { changed: output.changed, unchanged: output.unchanged, failed }
      : {
          changedCount: output.changed.length,
          unchangedCount: output.unchanged.length,
          failed: failed.slice(0, AUDITED_IDS),
        };
  return { target, details };
}

export const groupAddMember = defineAction({
  name: 'group.addMember',
  summary: 'Add one or many members to a group ($batch, 20 per request); members already in it are reported unchanged.',
  write: true,
  permissions: WRITE_GROUP_MEMBERS,
  input: MembershipInput,
  output: MembershipOutput,
  auditOf: membershipAudit,
  run: async (context, input) =>
    addMembers(context, await getGroup(context.connection.graph, input.group), input.members),
});

export const groupRemoveMember = defineAction({
  name: 'group.removeMember',
  summary:
    'Remove one or many members from a group ($batch, 20 per request); members not in it are reported unchanged.',
  write: true,
  permissions: WRITE_GROUP_MEMBERS,
  input: MembershipInput,
  output: MembershipOutput,
  auditOf: membershipAudit,
  run: async (context, input) =>
    removeMembers(context, await getGroup(context.connection.graph, input.group), input.members),
});
