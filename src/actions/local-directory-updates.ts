import type { DirectoryGroup, DirectoryUser, MemberType } from '../directory/directory-model.js';
import type { DirectoryReader, DirectoryWriter } from '../directory/ports.js';
import type { DirectoryGroupRecord, DirectoryUserRecord, LocalDirectoryUpdates } from './ports.js';

export interface LocalDirectoryUpdatesOptions {
  /** The DirectoryService (it keeps the in-memory membership index current), not the bare repository. */
  readonly writer: Pick<DirectoryWriter, 'applyChanges'>;
  readonly reader: Pick<DirectoryReader, 'getGroup'>;
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
  /** A member id that is a known local group is linked as a group; anything else as a user. */
  async function memberType(connectionId: string, id: string): Promise<MemberType> {
    return (await options.reader.getGroup(connectionId, id)) ? 'group' : 'user';
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
      const addMemberships = [];
      for (const memberId of memberIds) {
        const type = readUsers.has(memberId) ? 'user' : await memberType(connectionId, memberId);
        addMemberships.push({ groupId: group.id, memberId, memberType: type });
      }
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
