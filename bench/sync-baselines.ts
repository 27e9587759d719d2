// The two baselines of the sync benchmark: the fetch-only floor and the naive approach a user would write.
import Database from 'better-sqlite3';
import { USER_SELECT } from '../src/entra/graph-directory-source.js';
import { type EmulatorSummary, fetchToken } from './sync-support.js';

export interface WalkResult {
  ms: number;
  /** CPU of this process (user + system) while walking: fetch, parse and, for the naive approach, its writes. */
  cpuMs: number;
  requests: number;
  resourceUnits: number;
}

const cpuMsSince = (start: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
};

interface Page {
  value: { id: string; [key: string]: unknown }[];
  '@odata.nextLink'?: string;
  '@odata.deltaLink'?: string;
}

async function getJson(url: string, bearer: string, counter: WalkResult, headers: Record<string, string> = {}) {
  for (;;) {
    const res = await fetch(url, { headers: { authorization: `Bearer ${bearer}`, ...headers } });
    counter.requests++;
    counter.resourceUnits += Number(res.headers.get('x-ms-resource-unit') ?? 0);
    const text = await res.text();
    if (res.status === 429) {
      await new Promise((r) => setTimeout(r, Number(res.headers.get('retry-after') ?? 1) * 1000));
      continue;
    }
    if (!res.ok) throw new Error(`${res.status} ${url}: ${text.slice(0, 200)}`);
    return JSON.parse(text) as Page;
  }
}

async function walk(start: string, bearer: string, counter: WalkResult, onPage?: (page: Page) => void) {
  let link: string | undefined = start;
  while (link) {
    const page = await getJson(link, bearer, counter, { Prefer: 'odata.maxpagesize=999' });
    onPage?.(page);
    link = page['@odata.nextLink'];
  }
}

/**
 * The floor: the same requests gatehouse's first sync makes (a `$deltatoken=latest` link, `/users` list pages,
 * the groups delta round with members; users and groups concurrently), each body read and parsed, then dropped.
 */
export async function fetchOnlyFloor(s: EmulatorSummary, groupSelect: string): Promise<WalkResult> {
  const bearer = await fetchToken(s);
  const base = `${s.url}/v1.0`;
  const counter: WalkResult = { ms: 0, cpuMs: 0, requests: 0, resourceUnits: 0 };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await Promise.all([
    (async () => {
      await walk(`${base}/users/delta?$select=${USER_SELECT}&$deltatoken=latest`, bearer, counter);
      await walk(`${base}/users?$select=${USER_SELECT}&$top=999`, bearer, counter);
    })(),
    walk(`${base}/groups/delta?$select=${groupSelect}`, bearer, counter),
  ]);
  counter.ms = performance.now() - started;
  counter.cpuMs = cpuMsSince(cpu);
  return counter;
}

/**
 * What a user writes without gatehouse: page /users and /groups with $top=999, then page every group's /members,
 * inserting each page into SQLite in one transaction.
 */
export async function naiveSync(s: EmulatorSummary, file: string): Promise<WalkResult> {
  const bearer = await fetchToken(s);
  const base = `${s.url}/v1.0`;
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.exec(`create table users (id text primary key, upn text, name text, enabled integer);
    create table groups (id text primary key, name text);
    create table members (group_id text, member_id text, type text, primary key (group_id, member_id));`);
  const insertUser = db.prepare('insert or replace into users values (?, ?, ?, ?)');
  const insertGroup = db.prepare('insert or replace into groups values (?, ?)');
  const insertMember = db.prepare('insert or replace into members values (?, ?, ?)');
  const counter: WalkResult = { ms: 0, cpuMs: 0, requests: 0, resourceUnits: 0 };
  const started = performance.now();
  const cpu = process.cpuUsage();
  await walk(
    `${base}/users?$select=${USER_SELECT}&$top=999`,
    bearer,
    counter,
    db.transaction((page: Page) => {
      for (const u of page.value) insertUser.run(u.id, u.userPrincipalName, u.displayName, u.accountEnabled ? 1 : 0);
    }),
  );
  const groupIds: string[] = [];
  await walk(
    `${base}/groups?$select=id,displayName&$top=999`,
    bearer,
    counter,
    db.transaction((page: Page) => {
      for (const g of page.value) {
        insertGroup.run(g.id, g.displayName);
        groupIds.push(g.id);
      }
    }),
  );
  for (const groupId of groupIds) {
    await walk(
      `${base}/groups/${groupId}/members?$select=id&$top=999`,
      bearer,
      counter,
      db.transaction((page: Page) => {
        for (const m of page.value) insertMember.run(groupId, m.id, String(m['@odata.type'] ?? ''));
      }),
    );
  }
  counter.ms = performance.now() - started;
  counter.cpuMs = cpuMsSince(cpu);
  db.close();
  return counter;
}
