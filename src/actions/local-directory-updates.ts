import type { DirectoryGroup, DirectoryUser, MemberType } from '../directory/directory-model.js';
import type { DirectoryReader, DirectoryWriter } from '../directory/ports.js';
import type { DirectoryGroupRecord, DirectoryUserRecord, LocalDirectoryUpdates } from './ports.js';

export interface LocalDirectoryUpdatesOptions {
  /** The DirectoryService (it keeps the in-memory membership index current), not the bare repository. */
  readonly writer: Pick<DirectoryWriter, 'applyChanges'>;
  readonly reader: Pick<DirectoryReader, 'getGroup' | 'listIds'>;
  /**
   * The connection's sync policy for disabled users (product.md section 7: excluded by default). An excluded user is
   * dropped from the local directory with its memberships kept, exactly as a sync would do it.
   */
  readonly excludesDisabledUsers?: (connectionId: string) => Promise<boolean>;
}

function text(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function toDirectoryUser(user: DirectoryUserRecord): DirectoryUser {
  return {
    id: user.id,
    userPrincipalName: user.userPrincipalName,
    displayName: text(user.displayName),
    mail: text(user.mail),
    givenName: text(user.givenName),
    surname: text(user.surname),
    jobTitle: text(user.jobTitle),
    department: text(user.department),
    accountEnabled: user.accountEnabled !== false,
  };
}

function toDirectoryGroup(group: DirectoryGroupRecord): DirectoryGroup {
  return {
    id: group.id,
    displayName: group.displayName ?? '',
    description: group.description ?? null,
    mailEnabled: group.mailEnabled === true,
    securityEnabled: group.securityEnabled === true,
    groupTypes: group.groupTypes ?? [],
  };
}

/**
 * Writes the result of an action into the local directory in one transaction per write, so a membership check right
 * after `groups add-member` answers from the new state without waiting for a sync.
 */
export function createLocalDirectoryUpdates(options: LocalDirectoryUpdatesOptions): LocalDirectoryUpdates {
  const excludesDisabled = options.excludesDisabledUsers ?? (async () => true);
  /** Member ids that are known local groups are linked as groups; anything else as users. */
  async function localGroupIds(connectionId: string, ids: readonly string[]): Promise<Set<string>> {
    // Few members: one lookup each; many (bulk adds): every local group id at once.
    if (ids.length > 50) return new Set(await options.reader.listIds(connectionId, 'group'));
    const found = await Promise.all(ids.map((id) => options.reader.getGroup(connectionId, id)));
    return new Set(found.flatMap((group) => (group ? [group.id] : [])));
  }
  return {
    async userChanged(connectionId, user) {
      const excluded = user.accountEnabled === false && (await excludesDisabled(connectionId));
      await options.writer.applyChanges(
        connectionId,
        excluded ? { excludeUserIds: [user.id] } : { upsertUsers: [toDirectoryUser(user)] },
      );
    },
    userDeleted: (connectionId, userId) => options.writer.applyChanges(connectionId, { removeUserIds: [userId] }),
    async membersAdded(connectionId, group, memberIds, users = []) {
      const excluded = (await excludesDisabled(connectionId)) ? users.filter((u) => u.accountEnabled === false) : [];
      const readUsers = new Set(users.map((u) => u.id));
      const groups = await localGroupIds(
        connectionId,
        memberIds.filter((id) => !readUsers.has(id)),
      );
      const addMemberships = memberIds.map((memberId) => ({
        groupId: group.id,
        memberId,
        memberType: (groups.has(memberId) ? 'group' : 'user') as MemberType,
      }));
      await options.writer.applyChanges(connectionId, {
        upsertUsers: users.filter((u) => !excluded.includes(u)).map(toDirectoryUser),
        excludeUserIds: excluded.map((u) => u.id),
        upsertGroups: [toDirectoryGroup(group)],
        addMemberships,
      });
    },
    async membersRemoved(connectionId, group, memberIds) {
      await options.writer.applyChanges(connectionId, {
        upsertGroups: [toDirectoryGroup(group)],
        removeMemberships: memberIds.map((memberId) => ({ groupId: group.id, memberId })),
      });
    },
  };
}
