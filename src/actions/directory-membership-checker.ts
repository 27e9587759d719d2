import { AppError } from '../core/errors.js';
import type { MembershipAnswer } from '../directory/directory-model.js';
import type { MembershipChecker } from './ports.js';

export interface DirectoryMembershipCheckerOptions {
  /** Connection name → id (throws CONNECTION_NOT_FOUND). */
  readonly connectionId: (connectionName: string) => Promise<string>;
  /** The DirectoryService's local, transitive check. */
  readonly local: (connectionId: string, user: string, group: string) => Promise<MembershipAnswer>;
  /** The live check through Graph, when wired. */
  readonly live?: (connectionName: string, user: string, group: string) => Promise<MembershipAnswer>;
}

/** membership.check's port: local answers from the directory index, live ones from Graph. */
export function createDirectoryMembershipChecker(options: DirectoryMembershipCheckerOptions): MembershipChecker {
  return {
    async check(connectionName, user, group, { live }) {
      if (live) {
        if (!options.live) {
          throw new AppError('INTERNAL', { message: 'Live membership checks are not wired into this gatehouse.' });
        }
        return options.live(connectionName, user, group);
      }
      return options.local(await options.connectionId(connectionName), user, group);
    },
  };
}
