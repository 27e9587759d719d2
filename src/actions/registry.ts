import type { ActionDefinition } from './action.js';
import { graphRequest } from './graph-request-action.js';
import { groupAddMember, groupRemoveMember } from './group-membership-actions.js';
import { groupGet, groupList, groupMembers } from './group-read-actions.js';
import { membershipCheck } from './membership-check-action.js';
import { userGet, userGroups, userList } from './user-read-actions.js';
import {
  userCreate,
  userDelete,
  userDisable,
  userEnable,
  userResetPassword,
  userUpdate,
} from './user-write-actions.js';

/** Every action, in the order docs and lists show them. Names are a contract: add, never rename. */
export const ACTIONS: readonly ActionDefinition[] = [
  userGet,
  userList,
  userCreate,
  userUpdate,
  userDisable,
  userEnable,
  userDelete,
  userResetPassword,
  userGroups,
  groupList,
  groupGet,
  groupMembers,
  groupAddMember,
  groupRemoveMember,
  membershipCheck,
  graphRequest,
] as readonly ActionDefinition[];

const BY_NAME = new Map(ACTIONS.map((action) => [action.name, action]));

export function findAction(name: string): ActionDefinition | undefined {
  return BY_NAME.get(name);
}
