import { AppError, isAppError } from '../core/errors.js';
import type { GraphApi } from '../entra/graph-api.js';
import {
  GROUP_SELECT,
  type Group,
  parseCollection,
  parseGroup,
  parseUser,
  USER_SELECT,
  type User,
} from './graph-objects.js';
import { isObjectId, odataString, userSegment } from './object-ids.js';

/** Re-throws Graph's 404 as one that names the object the caller asked for. */
export function notFoundAs(error: unknown, message: string): unknown {
  if (isAppError(error) && error.code === 'GRAPH_NOT_FOUND') {
    return new AppError('GRAPH_NOT_FOUND', { message, details: error.details, cause: error });
  }
  return error;
}

/** USER = object id or userPrincipalName; Graph accepts both in `/users/{…}`. */
export async function getUser(graph: GraphApi, user: string): Promise<User> {
  try {
    const response = await graph.request('GET', `/users/${userSegment(user)}?$select=${USER_SELECT}`);
    return parseUser(response.body);
  } catch (error) {
    throw notFoundAs(error, `User '${user}' does not exist in the tenant.`);
  }
}

/** GROUP = object id or exact displayName; an ambiguous name is an error that lists the candidates. */
export async function getGroup(graph: GraphApi, group: string): Promise<Group> {
  if (isObjectId(group)) {
    try {
      const response = await graph.request('GET', `/groups/${group}?$select=${GROUP_SELECT}`);
      return parseGroup(response.body);
    } catch (error) {
      throw notFoundAs(error, `Group '${group}' does not exist in the tenant.`);
    }
  }
  const filter = encodeURIComponent(`displayName eq ${odataString(group)}`);
  const response = await graph.request('GET', `/groups?$filter=${filter}&$select=${GROUP_SELECT}`);
  const matches = parseCollection(response.body).value.map(parseGroup);
  const [only, ...others] = matches;
  if (!only) {
    throw new AppError('GRAPH_NOT_FOUND', {
      message: `No group is named '${group}' in the tenant.`,
      hint: 'Give the group object id or its exact displayName (`gatehouse groups list NAME --search TEXT`).',
      uiHint: 'Pick the group from the list, or give its object id or exact displayName.',
    });
  }
  if (others.length > 0) {
    throw new AppError('DIRECTORY_AMBIGUOUS_GROUP', {
      message: `${matches.length} groups are named '${group}'.`,
      details: { candidates: matches.map((g) => ({ id: g.id, displayName: g.displayName ?? null })) },
    });
  }
  return only;
}
