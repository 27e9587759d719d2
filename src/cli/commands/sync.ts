import type { Command } from 'commander';
import type { SyncReport, SyncRunRecord } from '../../sync/ports.js';
import type { SyncProgress } from '../../sync/sync-engine.js';
import type { SyncSettingsView, SyncStatusView } from '../../sync/sync-service.js';
import type { CliContext } from '../cli-context.js';
import { formatTable } from '../output.js';

/** A one-line progress bar on a terminal's stderr: pages and objects per stream, and the overall rate. */
function progressPrinter(ctx: CliContext): ((p: SyncProgress) => void) | undefined {
  const stderr = ctx.io.stderr as { write(s: string): unknown; isTTY?: boolean };
  if (ctx.output().json || !stderr.isTTY) return undefined;
  const started = Date.now();
  const streams = new Map<string, SyncProgress>();
  return (p) => {
    if (p.stream !== 'all') streams.set(p.stream, p);
    const objects = [...streams.values()].reduce((n, s) => n + s.objects, 0);
    const seconds = Math.max((Date.now() - started) / 1000, 0.001);
    const parts = [...streams.values()].map((s) => `${s.stream} ${s.objects} (${s.pages} pages)`);
    const phase = p.phase === 'fetching' ? '' : ` ${p.phase}`;
    stderr.write(`\r\x1b[2K${parts.join(' | ')} | ${Math.round(objects / seconds)} objects/s${phase}`);
    if (p.phase === 'done') stderr.write('\n');
  };
}

function reportText(r: SyncReport): string[] {
  const lines = [
    `${r.dryRun ? 'Dry run' : 'Sync'} of '${r.connection}' ${r.status} (${r.mode}) in ${(r.durationMs / 1000).toFixed(1)} s.`,
    `  users        +${r.users.added} ~${r.users.updated} -${r.users.removed}`,
    `  groups       +${r.groups.added} ~${r.groups.updated} -${r.groups.removed}`,
    `  memberships  +${r.memberships.added} -${r.memberships.removed}`,
    ...(r.events !== undefined && !r.dryRun ? [`  events       ${r.events}`] : []),
    `  Graph        ${r.requests} requests, ${r.retries} retries, ${r.throttled} throttled, ${r.resourceUnits} resource units, ${r.pages} pages`,
  ];
  if (r.pendingRemovals) {
    const p = r.pendingRemovals;
    lines.push(`  held back    ${p.users} users, ${p.groups} groups, ${p.memberships} memberships`);
  }
  for (const x of r.resyncs ?? []) {
    const answer = [x.status, x.graphCode ?? x.code].filter((v) => v !== undefined).join(' ');
    lines.push(`  full round   ${x.stream}: Graph refused the saved link (${answer}); a reconciling full round ran`);
  }
  for (const e of r.errors) {
    lines.push(`  error ${e.code}: ${e.message}`);
    if (e.hint && r.status === 'failed') lines.push(`hint: ${e.hint}`);
  }
  if (r.status === 'quarantined') {
    lines.push(`hint: check the removals; if intended, run \`gatehouse sync run ${r.connection} --allow-deletes\`.`);
  }
  return lines;
}

function settingsText(v: SyncSettingsView): string[] {
  return [
    `schedule         ${v.schedule ?? 'off'}${v.nextRunAt ? ` (next ${v.nextRunAt})` : ''}`,
    `disabled users   ${v.disabledUsers}`,
    `delete threshold ${v.deleteThreshold.count} objects or ${v.deleteThreshold.percent}%`,
    `scope group      ${v.scopeGroup ?? 'all users'}`,
    `notifications    ${v.notifications}${v.notifications === 'on' ? ' (Graph change notifications trigger syncs; needs serve --public-url)' : ''}`,
  ];
}

function statusText(s: SyncStatusView): string[] {
  const last = s.lastRun;
  const pending = s.pendingRemovals;
  return [
    `connection       ${s.connection}${s.running ? ' (a sync is running)' : ''}`,
    `last synced      ${s.lastSyncedAt ?? 'never'}`,
    `last run         ${last ? `${last.status} ${last.mode} at ${last.startedAt}` : 'none'}`,
    // A failed (or died) run says why and what to do, here too: not only in `sync history`.
    ...(last?.status === 'failed'
      ? (last.report.errors ?? [])
          .slice(-1)
          .flatMap((e) => [`last error       ${e.code}: ${e.message}`, ...(e.hint ? [`hint: ${e.hint}`] : [])])
      : []),
    ...(pending.users + pending.groups + pending.memberships > 0
      ? [`held back        ${pending.users} users, ${pending.groups} groups, ${pending.memberships} memberships`]
      : []),
    ...settingsText(s),
    ...(s.notificationSubscriptions.length > 0
      ? [
          `subscriptions    ${s.notificationSubscriptions
            .map((n) => `${n.resource} ${n.expiresAt ? `until ${n.expiresAt}` : '(being validated)'}`)
            .join(', ')}`,
        ]
      : []),
  ];
}

function historyText(runs: SyncRunRecord[]): string {
  return formatTable([
    ['STARTED', 'MODE', 'STATUS', 'USERS +/~/-', 'GROUPS +/~/-', 'REQUESTS', 'MS'],
    ...runs.map((r) => [
      r.startedAt,
      `${r.mode}${r.dryRun ? ' (dry)' : ''}`,
      r.status,
      `${r.report.users.added}/${r.report.users.updated}/${r.report.users.removed}`,
      `${r.report.groups.added}/${r.report.groups.updated}/${r.report.groups.removed}`,
      String(r.report.requests),
      String(r.report.durationMs),
    ]),
  ]);
}

/** `gatehouse sync run|configure|status|history` (product.md sections 4 and 7). */
export function registerSyncCommands(program: Command, ctx: CliContext): Command {
  const sync = program.command('sync').description('sync the directory (users, groups, memberships) into gatehouse');

  sync
    .command('run')
    .description('run a sync now (incremental when possible)')
    .argument('<name>', 'connection name')
    .option('--full', 'read everything again and reconcile (drops held-back removals)')
    .option('--dry-run', 'report what would change, write nothing')
    .option('--allow-deletes', 'apply removals above the accidental-deletion threshold')
    .action(async (name: string, options: { full?: boolean; dryRun?: boolean; allowDeletes?: boolean }) => {
      const gatehouse = await ctx.gatehouse();
      const onProgress = progressPrinter(ctx);
      const report = await gatehouse.sync.run(name, {
        full: options.full === true,
        dryRun: options.dryRun === true,
        allowDeletes: options.allowDeletes === true,
        ...(onProgress ? { onProgress } : {}),
      });
      ctx.output().result(report, () => reportText(report));
      if (report.status !== 'succeeded') ctx.setExitCode(1);
    });

  sync
    .command('configure')
    .description('set the schedule and policies of a connection’s sync')
    .argument('<name>', 'connection name')
    .option('--schedule <spec>', '`every 15m`, `every 2h`, `daily 02:30 Europe/Berlin` or `off`')
    .option('--disabled-users <mode>', 'exclude (default) or include (kept, marked disabled)')
    .option('--delete-threshold <n>', 'most removals per run without --allow-deletes: N objects or N%')
    .option('--scope-group <group>', 'only sync users in this group (id or displayName, nested members too); "" = all')
    .option(
      '--notifications <on|off>',
      'Graph change notifications trigger incremental syncs (needs serve --public-url)',
    )
    .action(async (name: string, options: Record<string, string | undefined>) => {
      const view = await (await ctx.gatehouse()).sync.configure(name, {
        ...(options.schedule !== undefined ? { schedule: options.schedule } : {}),
        ...(options.disabledUsers !== undefined ? { disabledUsers: options.disabledUsers } : {}),
        ...(options.deleteThreshold !== undefined ? { deleteThreshold: options.deleteThreshold } : {}),
        ...(options.scopeGroup !== undefined ? { scopeGroup: options.scopeGroup } : {}),
        ...(options.notifications !== undefined ? { notifications: options.notifications } : {}),
      });
      ctx.output().result(view, () => settingsText(view));
    });

  sync
    .command('status')
    .description('last sync, running state, held-back removals and settings')
    .argument('<name>', 'connection name')
    .action(async (name: string) => {
      const status = await (await ctx.gatehouse()).sync.status(name);
      ctx.output().result(status, () => statusText(status));
    });

  sync
    .command('history')
    .description('past sync runs with their reports, newest first')
    .argument('<name>', 'connection name')
    .option('--limit <n>', 'how many runs (default 20)', '20')
    .action(async (name: string, options: { limit: string }) => {
      const runs = await (await ctx.gatehouse()).sync.history(name, Math.max(1, Number(options.limit) || 20));
      ctx.output().result(runs, () => historyText(runs));
    });
  return sync;
}
