import type { Command } from 'commander';
import type { DirectoryEvent } from '../../events/event-model.js';
import type { CliContext } from '../cli-context.js';
import { formatTable } from '../output.js';

function collect(value: string, previous: string[] = []): string[] {
  return [
    ...previous,
    ...value
      .split(',')
      .map((v) => v.trim())
      .filter(Boolean),
  ];
}

/** What an event is about, in a few words for the table and `tail`. */
function subject(event: DirectoryEvent): string {
  const d = event.data as Record<string, { userPrincipalName?: string; displayName?: string; id?: string } | unknown>;
  const user = d.user as { userPrincipalName?: string; id?: string } | undefined;
  const group = d.group as { displayName?: string; id?: string } | undefined;
  if (user) return user.userPrincipalName ?? user.id ?? '';
  if (group) return group.displayName ?? group.id ?? '';
  const transitive = d.transitive === true ? ' (transitive)' : '';
  return `${String(d.memberId)} in ${String(d.groupId)}${transitive}`;
}

function line(event: DirectoryEvent): string {
  return `${event.id}  ${event.occurredAt}  ${event.type.padEnd(18)}  ${subject(event)}`;
}

/** Resolves on SIGINT or SIGTERM (Ctrl-C), so `tail` ends cleanly. */
function untilSignal(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const stop = () => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return {
    signal: controller.signal,
    dispose() {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
    },
  };
}

/** `gatehouse events list|tail` (product.md section 9.2): the directory events of a connection. */
export function registerEventCommands(program: Command, ctx: CliContext): Command {
  const events = program
    .command('events')
    .description('directory events (user, group and membership changes) recorded by syncs and actions');

  events
    .command('list')
    .description('list events after a cursor, oldest first (JSON lines with --json)')
    .argument('<name>', 'connection name')
    .option('--after <id>', 'only events after this event id (the cursor)')
    .option('--type <type>', 'only this event type (repeat or comma-separate)', collect)
    .option('--limit <n>', 'at most this many events (default 100, at most 1000)', '100')
    .action(async (name: string, options: { after?: string; type?: string[]; limit: string }) => {
      const gatehouse = await ctx.gatehouse();
      const list = await gatehouse.events.list(name, {
        ...(options.after ? { after: options.after } : {}),
        ...(options.type ? { types: options.type } : {}),
        limit: Number(options.limit) || 100,
      });
      if (ctx.output().json) {
        for (const event of list) ctx.io.stdout.write(`${JSON.stringify(event)}\n`);
        return;
      }
      ctx
        .output()
        .result(list, () =>
          list.length === 0
            ? 'No events.'
            : formatTable([
                ['ID', 'OCCURRED', 'TYPE', 'SUBJECT'],
                ...list.map((e) => [e.id, e.occurredAt, e.type, subject(e)]),
              ]),
        );
    });

  events
    .command('tail')
    .description('print new events as they are recorded, until Ctrl-C (JSON lines with --json)')
    .argument('<name>', 'connection name')
    .option('--type <type>', 'only this event type (repeat or comma-separate)', collect)
    .option('--after <id>', 'start after this event id instead of at the newest')
    .option('--count <n>', 'stop after this many events')
    .action(async (name: string, options: { type?: string[]; after?: string; count?: string }) => {
      const gatehouse = await ctx.gatehouse();
      const stop = untilSignal();
      const max = options.count ? Number(options.count) : Number.POSITIVE_INFINITY;
      let seen = 0;
      try {
        for await (const event of gatehouse.events.follow(
          name,
          { ...(options.type ? { types: options.type } : {}), ...(options.after ? { after: options.after } : {}) },
          stop.signal,
        )) {
          ctx.io.stdout.write(`${ctx.output().json ? JSON.stringify(event) : line(event)}\n`);
          if (++seen >= max) break;
        }
      } finally {
        stop.dispose();
      }
    });
  return events;
}
