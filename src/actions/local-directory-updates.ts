import type { DirectoryUser, MemberType } from '../directory/directory-model.js';
import type { DirectoryReader, DirectoryWriter } from '../directory/ports.js';
import type { DirectoryUserRecord, LocalDirectoryUpdates } from './ports.js';

export interface LocalDirectoryUpdatesOptions {
  /** The DirectoryService (it keeps the in-memory membership index current), not the bare repository. */
  readonly writer: Pick<DirectoryWriter, 'applyChanges'>;
  readonly reader: Pick<DirectoryReader, 'getGroup'>;
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

/**
 * Writes the result of an action into the local directory in one transaction per write, so a membership check right
 * after `groups add-member` answers from the new state without waiting for a sync.
 */
export function createLocalDirectoryUpdates(options: LocalDirectoryUpdatesOptions): LocalDirectoryUpdates {
  /** A member id that is a known local group is linked as a group; anything else as a user. */
  async function memberType(connectionId: string, id: string): Promise<MemberType> {
    return (await options.reader.getGroup(connectionId, id)) ? 'group' : 'user';
  }
  return {
    userChanged: (connectionId, user) =>
      options.writer.applyChanges(connectionId, { upsertUsers: [toDirectoryUser(user)] }),
    userDeleted: (connectionId, userId) => options.writer.applyChanges(connectionId, { removeUserIds: [userId] }),
    async membersAdded(connectionId, groupId, memberIds) {
      if (memberIds.length === 0) return;
      const addMemberships = [];
      for (const memberId of memberIds) {
        addMemberships.push({ groupId, memberId, memberType: await memberType(connectionId, memberId) });
      }
      await options.writer.applyChanges(connectionId, { addMemberships });
    },
    async membersRemoved(connectionId, groupId, memberIds) {
      if (memberIds.length === 0) return;
      await options.writer.applyChanges(connectionId, {
        removeMemberships: memberIds.map((memberId) => ({ groupId, memberId })),
      });
    },
  };
}
