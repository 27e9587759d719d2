import type {
  DirectoryChanges,
  DirectoryCounts,
  DirectoryGroup,
  DirectoryUser,
  MembershipLink,
} from './directory-model.js';

export type {
  DirectoryChanges,
  DirectoryCounts,
  DirectoryGroup,
  DirectoryUser,
  MembershipLink,
  MemberType,
} from './directory-model.js';

/**
 * The write side of the local directory. The sync engine writes whole pages through `applyChanges`; the actions
 * refresh the directory right after a Graph write through the small methods (each one transaction). Every method is
 * idempotent: upserting an existing object replaces it, removing an absent one is a no-op.
 *
 * Use `gatehouse.directory` (the DirectoryService, which also keeps the in-memory membership index current) rather
 * than the repository itself.
 */
export interface DirectoryWriter {
  applyChanges(connectionId: string, changes: DirectoryChanges): Promise<void>;
  upsertUser(connectionId: string, user: DirectoryUser): Promise<void>;
  /** Also removes the user's memberships. */
  removeUser(connectionId: string, userId: string): Promise<void>;
  upsertGroup(connectionId: string, group: DirectoryGroup): Promise<void>;
  /** Also removes the group's memberships, as parent and as member. */
  removeGroup(connectionId: string, groupId: string): Promise<void>;
  addMember(connectionId: string, link: MembershipLink): Promise<void>;
  removeMember(connectionId: string, groupId: string, memberId: string): Promise<void>;
}

export interface UserQuery {
  /** Case-insensitive substring of displayName, userPrincipalName or mail. */
  search?: string;
  /** Default 100. */
  limit?: number;
  offset?: number;
}

export interface GroupQuery {
  /** Case-insensitive substring of displayName. */
  search?: string;
  limit?: number;
  offset?: number;
}

/** What the membership index loads once per connection: every direct membership and every group's name. */
export interface MembershipGraphData {
  groups: { id: string; displayName: string }[];
  links: MembershipLink[];
}

/** Receives one visible link of a scan (`scanMembershipGraph`). */
export type MembershipLinkSink = (groupId: string, memberId: string, memberType: MembershipLink['memberType']) => void;

/** The read side of the local directory. */
export interface DirectoryReader {
  /** By object id, or by userPrincipalName (case-insensitive). */
  getUser(connectionId: string, idOrUpn: string): Promise<DirectoryUser | undefined>;
  listUsers(connectionId: string, query?: UserQuery): Promise<DirectoryUser[]>;
  getGroup(connectionId: string, id: string): Promise<DirectoryGroup | undefined>;
  /** Exact displayName (case-insensitive, as Entra compares); may return several groups. */
  findGroupsByName(connectionId: string, displayName: string): Promise<DirectoryGroup[]>;
  listGroups(connectionId: string, query?: GroupQuery): Promise<DirectoryGroup[]>;
  /** Direct members of one group. */
  listMembers(connectionId: string, groupId: string): Promise<MembershipLink[]>;
  /** Direct groups of one user or group. */
  listMemberOf(connectionId: string, memberId: string): Promise<MembershipLink[]>;
  loadMembershipGraph(connectionId: string): Promise<MembershipGraphData>;
  /**
   * The same graph, each link handed to `onLink` as it is read and never held: the membership index is built from it
   * (1,000,000 users hold 8.5 million links; held as objects they cost 15–25 s of a 55 s rebuild, issue 13).
   */
  scanMembershipGraph(connectionId: string, onLink: MembershipLinkSink): Promise<MembershipGraphData['groups']>;
  /** Every stored user id and group id: a full round removes those it did not see. */
  listIds(connectionId: string, kind: 'user' | 'group'): Promise<string[]>;
  counts(connectionId: string): Promise<DirectoryCounts>;
  /** Users and groups only: counting the links of a big tenant costs a scan of the largest table. */
  countObjects(connectionId: string): Promise<Pick<DirectoryCounts, 'users' | 'groups'>>;
  /**
   * Grows with every write to this connection's directory (in any process), so a cached index knows it is stale.
   */
  version(connectionId: string): Promise<number>;
}

/** The local directory store, implemented by the SQLite/PostgreSQL repository in `src/store/directory-repository.ts`. */
export interface DirectoryStore extends DirectoryWriter, DirectoryReader {
  /** Drops the whole directory of a connection (when the connection is removed or a sync starts over). */
  clear(connectionId: string): Promise<void>;
}
