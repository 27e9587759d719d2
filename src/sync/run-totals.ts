import type { PageOutcome } from './ports.js';

/** What one run added, updated and removed so far (the report's counts). */
export interface Totals {
  users: { added: number; updated: number; removed: number };
  groups: { added: number; updated: number; removed: number };
  memberships: { added: number; removed: number };
  pages: number;
}

export function addOutcome(totals: Totals, o: PageOutcome): void {
  totals.users.added += o.usersAdded;
  totals.users.updated += o.usersUpdated;
  totals.users.removed += o.usersExcluded;
  totals.groups.added += o.groupsAdded;
  totals.groups.updated += o.groupsUpdated;
  totals.memberships.added += o.membershipsAdded;
  totals.pages++;
}
