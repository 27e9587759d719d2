import type { DirectoryState } from './directory-state.js';
import { SeededRandom } from './seeded-random.js';

export interface GenerateOptions {
  users: number;
  groups: number;
  seed: string;
  /** Domain of generated UPNs. */
  domain: string;
  /** Fraction of disabled users (default 0.05). */
  disabledFraction?: number;
  /** Users holding an admin role (default 2; writes on them need a privileged app). */
  admins?: number;
  /** Devices (default users/100, 2–1,000) and service principals (default users/1,000, 1–50) placed in groups. */
  devices?: number;
  servicePrincipals?: number;
  /** Depth of the deepest nested-group chain (default 4). */
  nestingDepth?: number;
}

export interface GeneratedSummary {
  users: number;
  groups: number;
  devices: number;
  servicePrincipals: number;
  memberships: number;
}

const FIRST =
  'Adele Alex Allan Amara Ana Ben Bianca Carlos Chen Chloe Dana Diego Elena Emil Eva Fatima Felix Grace Hana Hugo Ines Isaac Jana Jonas Julia Kai Kenji Lara Leo Lina Lucas Maja Marco Maria Mateo Mia Nadia Noah Nora Omar Olivia Paul Priya Quinn Rafael Rosa Sami Sara Sofia Tariq Tess Theo Uma Vera Victor Wei Yara Yusuf Zoe'.split(
    ' ',
  );
const LAST =
  'Adams Alvarez Andersen Baker Berg Brown Chen Costa Dubois Eriksen Fischer Garcia Gupta Hansen Ito Jansen Kim Kowalski Larsen Lopez Martin Meyer Moreau Müller Nakamura Nguyen Novak Okafor Olsen Patel Petrov Quinn Rossi Santos Schmidt Silva Smith Tanaka Torres Varga Wagner Weber Wilson Yamamoto Zhang Ødegaard'.split(
    ' ',
  );
const DEPARTMENTS = [
  'Sales',
  'Engineering',
  'Finance',
  'HR',
  'Marketing',
  'Support',
  'Legal',
  'Operations',
  'IT',
  'Research',
];
const TITLES = ['Engineer', 'Manager', 'Analyst', 'Consultant', 'Specialist', 'Director', 'Designer', 'Coordinator'];
const EMPTY: readonly string[] = Object.freeze([]);

/**
 * Fills the directory deterministically from the seed: users with realistic names and UPNs (some disabled, some
 * synced from on-premises, a couple of admins), groups of mixed sizes (an all-staff group, a few big ones, many
 * small), nested groups several levels deep without cycles (a group only contains later groups), devices and
 * service principals as members, and the group flavours gatehouse must cope with (Microsoft 365, dynamic,
 * on-premises synced, role-assignable). Nothing is logged: the generated state is the tenant's starting point.
 *
 * Compact by design: one props object per object, memberships as arrays of object indexes.
 */
export function generateDirectory(dir: DirectoryState, options: GenerateOptions): GeneratedSummary {
  const rnd = new SeededRandom(options.seed);
  const created = `${dir.clock.now().toISOString().slice(0, 19)}Z`;
  const userIx = createUsers(dir, options, rnd, created);
  const deviceCount = options.devices ?? Math.min(1000, Math.max(2, Math.floor(options.users / 100)));
  const spCount = options.servicePrincipals ?? Math.min(50, Math.max(1, Math.floor(options.users / 1000)));
  const others: number[] = [];
  for (let i = 0; i < deviceCount; i++) {
    others.push(
      dir.add(
        'device',
        rnd.guid(),
        {
          accountEnabled: true,
          deviceId: rnd.guid(),
          displayName: `DESKTOP-${rnd.code(7)}`,
          operatingSystem: i % 3 ? 'Windows' : 'MacMDM',
        },
        { log: false },
      ).ix,
    );
  }
  for (let i = 0; i < spCount; i++) {
    others.push(
      dir.add(
        'servicePrincipal',
        rnd.guid(),
        {
          accountEnabled: true,
          appId: rnd.guid(),
          displayName: `svc-${DEPARTMENTS[i % DEPARTMENTS.length]?.toLowerCase()}-${i}`,
          servicePrincipalType: 'Application',
        },
        { log: false },
      ).ix,
    );
  }
  const groupIx = createGroups(dir, options, rnd, created);
  const memberships = fillGroups(dir, options, rnd, userIx, groupIx, others);
  return {
    users: userIx.length,
    groups: groupIx.length,
    devices: deviceCount,
    servicePrincipals: spCount,
    memberships,
  };
}

function createUsers(dir: DirectoryState, options: GenerateOptions, rnd: SeededRandom, created: string): number[] {
  const seen = new Map<string, number>();
  const disabled = options.disabledFraction ?? 0.05;
  const admins = Math.min(options.admins ?? 2, options.users);
  // Shared strings for the combinations, so a million users cost one string each only where they must differ.
  const names = FIRST.map((given) => LAST.map((surname) => `${given} ${surname}`));
  const bases = FIRST.map((given) =>
    LAST.map((surname) =>
      `${given}.${surname}`
        .toLowerCase()
        .normalize('NFD')
        .replace(/[^a-z.]/g, ''),
    ),
  );
  const titles = DEPARTMENTS.map((d) => TITLES.map((t) => `${d} ${t}`));
  const offices = Array.from({ length: 600 }, (_, i) => `${1 + (i % 12)}/${100 + (i % 50)}`);
  const domain = options.domain.toLowerCase();
  const out: number[] = new Array(options.users);
  for (let i = 0; i < options.users; i++) {
    const f = Math.floor(rnd.next() * FIRST.length);
    const l = Math.floor(rnd.next() * LAST.length);
    const base = bases[f]?.[l] as string;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const nickname = n === 1 ? base : `${base}${n}`;
    const upn = `${nickname}@${domain}`;
    const admin = i < admins;
    const d = i % DEPARTMENTS.length;
    out[i] = dir.add(
      'user',
      rnd.guid(),
      {
        accountEnabled: admin || rnd.next() >= disabled,
        businessPhones: EMPTY,
        displayName: names[f]?.[l],
        givenName: FIRST[f],
        surname: LAST[l],
        userPrincipalName: upn,
        mail: upn,
        mailNickname: nickname,
        jobTitle: admin ? 'Global Administrator' : titles[d]?.[i % TITLES.length],
        department: DEPARTMENTS[d],
        officeLocation: offices[i % offices.length],
        usageLocation: 'US',
        employeeId: String(100000 + i),
        onPremisesSyncEnabled: i % 10 === 3 ? true : null,
        userType: 'Member',
        createdDateTime: created,
      },
      { privileged: admin, log: false, lowerCase: true },
    ).ix;
  }
  return out;
}

function createGroups(dir: DirectoryState, options: GenerateOptions, rnd: SeededRandom, created: string): number[] {
  const out: number[] = new Array(options.groups);
  for (let i = 0; i < options.groups; i++) {
    const flavour =
      i === 0
        ? 'all'
        : i % 50 === 7
          ? 'unified'
          : i % 50 === 13
            ? 'dynamic'
            : i % 50 === 21
              ? 'onprem'
              : i % 50 === 33
                ? 'role'
                : 'security';
    const department = DEPARTMENTS[i % DEPARTMENTS.length] as string;
    const name = i === 0 ? 'All Employees' : `${department} ${flavour === 'unified' ? 'Team' : 'Group'} ${i}`;
    const nickname = name.replace(/[^A-Za-z0-9]/g, '').toLowerCase();
    const unified = flavour === 'unified';
    out[i] = dir.add(
      'group',
      rnd.guid(),
      {
        createdDateTime: created,
        description: i === 0 ? 'Everyone in the organisation' : `${department} ${flavour} group`,
        displayName: name,
        groupTypes: unified ? ['Unified'] : flavour === 'dynamic' ? ['DynamicMembership'] : [],
        isAssignableToRole: flavour === 'role' ? true : null,
        mail: unified ? `${nickname}@${options.domain}` : null,
        mailEnabled: unified,
        mailNickname: nickname,
        membershipRule: flavour === 'dynamic' ? `(user.department -eq "${department}")` : null,
        membershipRuleProcessingState: flavour === 'dynamic' ? 'On' : null,
        onPremisesSyncEnabled: flavour === 'onprem' ? true : null,
        securityEnabled: !unified,
        visibility: unified ? 'Private' : null,
      },
      { log: false },
    ).ix;
  }
  return out;
}

function fillGroups(
  dir: DirectoryState,
  options: GenerateOptions,
  rnd: SeededRandom,
  users: number[],
  groups: number[],
  others: number[],
): number {
  const n = users.length;
  let links = 0;
  const push = (g: number, member: number) => {
    dir.objects[g]?.members?.push(member);
    links++;
  };
  groups.forEach((g, i) => {
    if (n === 0) return;
    const flavour = dir.objects[g]?.props;
    let size: number;
    if (i === 0) size = n;
    else if (i <= 3) size = Math.floor(n * (0.1 + 0.1 * i));
    else {
      const r = rnd.next();
      size = r < 0.7 ? rnd.int(2, 30) : r < 0.95 ? rnd.int(30, 300) : rnd.int(300, 3000);
    }
    size = Math.min(size, n);
    if (flavour?.membershipRule) size = Math.min(size, 50);
    const start = rnd.int(0, n - 1);
    let stride = rnd.int(1, 7);
    if (gcd(stride, n) !== 1) stride = 1;
    for (let k = 0; k < size; k++) push(g, users[(start + k * stride) % n] as number);
  });
  // Devices and service principals go into a few security groups (not Microsoft 365 ones, which hold only users).
  others.forEach((member, k) => {
    const g = groups[(4 + k * 3) % Math.max(1, groups.length)];
    if (g !== undefined && !(dir.objects[g]?.props.groupTypes as string[] | undefined)?.length) push(g, member);
  });
  // Nesting: a group only contains later groups, so no cycles; one explicit chain guarantees the depth.
  const depth = Math.min(options.nestingDepth ?? 4, Math.max(0, groups.length - 5));
  const nestable = (ix: number) => {
    const p = dir.objects[ix]?.props;
    return (
      !(p?.groupTypes as string[] | undefined)?.length &&
      p?.onPremisesSyncEnabled !== true &&
      p?.isAssignableToRole !== true
    );
  };
  const chain = groups
    .slice(4)
    .filter(nestable)
    .slice(0, depth + 1);
  for (let d = 0; d + 1 < chain.length; d++) push(chain[d] as number, chain[d + 1] as number);
  for (let i = 5; i < groups.length - 1; i++) {
    if (rnd.next() >= 0.1) continue;
    const parent = groups[i] as number;
    if (!nestable(parent)) continue;
    const children = rnd.int(1, 3);
    for (let c = 0; c < children; c++) {
      const child = groups[rnd.int(i + 1, Math.min(groups.length - 1, i + 500))] as number;
      if (nestable(child) && !dir.objects[parent]?.members?.includes(child)) push(parent, child);
    }
  }
  return links;
}

function gcd(a: number, b: number): number {
  return b === 0 ? a : gcd(b, a % b);
}
