import { type DirectoryState, type DirObject, type ObjectKind, ODATA_TYPE } from './directory-state.js';
import { randomGuid } from './seeded-ids.js';

/** A directory object as tests see it: its Graph properties (all of them, including accountEnabled) and id. */
export type EmulatedObject = Record<string, unknown> & { id: string };

/** A group in a snapshot: properties plus direct member ids. */
export type EmulatedGroup = EmulatedObject & { members: { id: string; '@odata.type': string }[] };

/** The whole tenant as it is now (active objects only), for comparing a synced directory with the truth. */
export interface DirectorySnapshot {
  users: EmulatedObject[];
  groups: EmulatedGroup[];
  devices: EmulatedObject[];
  servicePrincipals: EmulatedObject[];
}

/**
 * Test-side mutations of the tenant, bypassing Graph permissions but recorded in the change log exactly like Graph
 * writes, so the next delta round reports them.
 */
export class DirectoryApi {
  constructor(
    private readonly dir: DirectoryState,
    private readonly domain: string,
  ) {}

  /** Creates a user; defaults: enabled, UPN `{mailNickname}@{tenant domain}`. `privileged` = holds an admin role. */
  createUser(
    props: Partial<EmulatedObject> & { displayName: string },
    options: { privileged?: boolean } = {},
  ): EmulatedObject {
    const nickname = String(props.mailNickname ?? props.displayName.replace(/[^A-Za-z0-9]/g, '.').toLowerCase());
    const upn = String(props.userPrincipalName ?? `${nickname}@${this.domain}`);
    if (this.dir.upnTaken(upn)) throw new Error(`emulator: userPrincipalName ${upn} already exists`);
    const { id, ...rest } = props;
    const obj = this.dir.add(
      'user',
      typeof id === 'string' ? id : randomGuid(),
      {
        accountEnabled: true,
        businessPhones: [],
        mailNickname: nickname,
        mail: upn,
        userType: 'Member',
        createdDateTime: `${this.dir.clock.now().toISOString().slice(0, 19)}Z`,
        ...rest,
        userPrincipalName: upn,
      },
      options,
    );
    return view(obj);
  }

  createGroup(
    props: Partial<EmulatedObject> & { displayName: string },
    options: { privileged?: boolean } = {},
  ): EmulatedObject {
    const { id, ...rest } = props;
    const obj = this.dir.add(
      'group',
      typeof id === 'string' ? id : randomGuid(),
      {
        groupTypes: [],
        securityEnabled: true,
        mailEnabled: false,
        mailNickname: props.displayName.replace(/[^A-Za-z0-9]/g, '').toLowerCase() || 'group',
        createdDateTime: `${this.dir.clock.now().toISOString().slice(0, 19)}Z`,
        visibility: null,
        ...rest,
      },
      options,
    );
    return view(obj);
  }

  createDevice(props: Partial<EmulatedObject> & { displayName: string }): EmulatedObject {
    const { id, ...rest } = props;
    return view(
      this.dir.add('device', typeof id === 'string' ? id : randomGuid(), {
        accountEnabled: true,
        deviceId: randomGuid(),
        operatingSystem: 'Windows',
        ...rest,
      }),
    );
  }

  createServicePrincipal(props: Partial<EmulatedObject> & { displayName: string }): EmulatedObject {
    const { id, ...rest } = props;
    return view(
      this.dir.add('servicePrincipal', typeof id === 'string' ? id : randomGuid(), {
        accountEnabled: true,
        appId: randomGuid(),
        servicePrincipalType: 'Application',
        ...rest,
      }),
    );
  }

  /** Changes properties (only real changes reach the change log). Returns the changed property names. */
  update(idOrUpn: string, patch: Record<string, unknown>): string[] {
    return this.dir.update(this.require(idOrUpn), patch);
  }

  disableUser(idOrUpn: string): void {
    this.update(idOrUpn, { accountEnabled: false });
  }

  enableUser(idOrUpn: string): void {
    this.update(idOrUpn, { accountEnabled: true });
  }

  /**
   * Soft delete by default (delta: `@removed: changed`); `permanently` = `@removed: deleted`. A soft-deleted user
   * keeps its memberships under realism `softDeleteKeepsMemberships` (they go at the permanent delete).
   */
  delete(idOrUpn: string, options: { permanently?: boolean } = {}): void {
    const obj = this.dir.find(idOrUpn) ?? this.dir.byObjectId(idOrUpn);
    if (!obj) throw new Error(`emulator: no object ${idOrUpn}`);
    this.dir.remove(obj, options.permanently ?? false);
  }

  /**
   * Restores a soft-deleted object. Its memberships come back when soft delete kept them (realism
   * `softDeleteKeepsMemberships`, Microsoft's behaviour); otherwise they were dropped at the delete.
   */
  restore(id: string): void {
    const obj = this.dir.byObjectId(id);
    if (!obj) throw new Error(`emulator: no deleted object ${id}`);
    this.dir.restore(obj);
  }

  /** Adds a member; false when it already was one. */
  addMember(groupId: string, memberId: string): boolean {
    return this.dir.addMember(this.require(groupId, 'group'), this.require(memberId).ix);
  }

  /** Removes a member; false when it was not one. */
  removeMember(groupId: string, memberId: string): boolean {
    return this.dir.removeMember(this.require(groupId, 'group'), this.require(memberId).ix);
  }

  get(idOrUpn: string): EmulatedObject | undefined {
    const obj = this.dir.find(idOrUpn);
    return obj ? view(obj) : undefined;
  }

  /** Direct member ids of a group (soft-deleted members that keep their membership included). */
  memberIds(groupId: string): string[] {
    return (this.require(groupId, 'group').members ?? []).map((ix) => (this.dir.objects[ix] as DirObject).id);
  }

  /** Ids of every group the object belongs to, directly or through nesting (the truth for membership checks). */
  transitiveGroupIds(idOrUpn: string): string[] {
    return this.dir.transitiveMemberOf(this.require(idOrUpn).ix).map((ix) => (this.dir.objects[ix] as DirObject).id);
  }

  counts(): Record<ObjectKind, number> {
    const counts: Record<ObjectKind, number> = { user: 0, group: 0, device: 0, servicePrincipal: 0 };
    for (const obj of this.dir.objects) if (obj.state === 'active') counts[obj.kind]++;
    return counts;
  }

  snapshot(): DirectorySnapshot {
    const snap: DirectorySnapshot = { users: [], groups: [], devices: [], servicePrincipals: [] };
    for (const obj of this.dir.objects) {
      if (obj.state !== 'active') continue;
      if (obj.kind === 'user') snap.users.push(view(obj));
      else if (obj.kind === 'device') snap.devices.push(view(obj));
      else if (obj.kind === 'servicePrincipal') snap.servicePrincipals.push(view(obj));
      else {
        // Memberships a soft-deleted user keeps are not part of the active directory.
        const members = (obj.members ?? [])
          .map((ix) => this.dir.objects[ix] as DirObject)
          .filter((m) => m.state === 'active')
          .map((m) => ({ id: m.id, '@odata.type': ODATA_TYPE[m.kind] }));
        snap.groups.push({ ...view(obj), members });
      }
    }
    return snap;
  }

  private require(idOrUpn: string, kind?: ObjectKind): DirObject {
    const obj = this.dir.find(idOrUpn, kind);
    if (!obj) throw new Error(`emulator: no active ${kind ?? 'object'} ${idOrUpn}`);
    return obj;
  }
}

function view(obj: DirObject): EmulatedObject {
  return { id: obj.id, ...structuredClone(obj.props) };
}
