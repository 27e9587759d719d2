import type { Command } from 'commander';
import type { DeliveryView, WebhookView } from '../../events/webhook-service.js';
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

function webhookText(w: WebhookView): string[] {
  return [
    `name        ${w.name}`,
    `url         ${w.url}`,
    `connection  ${w.connection ?? 'all'}`,
    `types       ${w.types.length > 0 ? w.types.join(', ') : 'all'}`,
    `groups      ${w.groups.length > 0 ? w.groups.join(', ') : 'none'}`,
    `deliveries  ${w.deliveries.succeeded} delivered, ${w.deliveries.pending} pending, ${w.deliveries.failed} failed`,
  ];
}

function deliveriesText(list: DeliveryView[]): string {
  if (list.length === 0) return 'No deliveries.';
  return formatTable([
    ['EVENT', 'TYPE', 'STATUS', 'ATTEMPTS', 'HTTP', 'MS', 'LAST ATTEMPT', 'ERROR'],
    ...list.map((d) => [
      d.eventId,
      d.type ?? '',
      d.status,
      String(d.attempts),
      d.responseStatus === null ? '' : String(d.responseStatus),
      d.latencyMs === null ? '' : String(d.latencyMs),
      d.lastAttemptAt ?? '',
      d.error ?? '',
    ]),
  ]);
}

/** `gatehouse webhooks create|list|show|remove|test|deliveries|redeliver` (product.md section 9.2). */
export function registerWebhookCommands(program: Command, ctx: CliContext): Command {
  const webhooks = program
    .command('webhooks')
    .description('push directory events to HTTPS receivers (Standard Webhooks signatures)');

  webhooks
    .command('create')
    .description('create a webhook; prints its signing secret (whsec_…) once')
    .requiredOption('--name <name>', 'webhook name')
    .requiredOption('--url <url>', 'receiver URL (https://; http:// only to localhost)')
    .option('--connection <name>', 'only events of this connection (default: every connection)')
    .option('--type <type>', 'only this event type (repeat or comma-separate; default: all)', collect)
    .option('--group <group>', 'watch this group (id or displayName; needs --connection; repeatable)', collect)
    .action(async (options: { name: string; url: string; connection?: string; type?: string[]; group?: string[] }) => {
      const { webhook, secret } = await (await ctx.gatehouse()).webhooks.create(
        {
          name: options.name,
          url: options.url,
          ...(options.connection ? { connection: options.connection } : {}),
          ...(options.type ? { types: options.type } : {}),
          ...(options.group ? { groups: options.group } : {}),
        },
        'cli',
      );
      ctx
        .output()
        .result({ ...webhook, secret }, () => [
          `Webhook '${webhook.name}' created.`,
          `signing secret  ${secret}`,
          'It is shown only now: store it with the receiver, which verifies deliveries with it (docs/events.md).',
        ]);
    });

  webhooks
    .command('list')
    .description('list the webhooks')
    .action(async () => {
      const list = await (await ctx.gatehouse()).webhooks.list();
      ctx
        .output()
        .result(list, () =>
          list.length === 0
            ? 'No webhooks.'
            : formatTable([
                ['NAME', 'URL', 'CONNECTION', 'DELIVERED', 'PENDING', 'FAILED'],
                ...list.map((w) => [
                  w.name,
                  w.url,
                  w.connection ?? 'all',
                  String(w.deliveries.succeeded),
                  String(w.deliveries.pending),
                  String(w.deliveries.failed),
                ]),
              ]),
        );
    });

  webhooks
    .command('show')
    .description('a webhook and its delivery counts')
    .argument('<name>', 'webhook name')
    .action(async (name: string) => {
      const webhook = await (await ctx.gatehouse()).webhooks.show(name);
      ctx.output().result(webhook, () => webhookText(webhook));
    });

  webhooks
    .command('remove')
    .alias('delete')
    .description('remove a webhook and its delivery log')
    .argument('<name>', 'webhook name')
    .action(async (name: string) => {
      await (await ctx.gatehouse()).webhooks.remove(name);
      ctx.output().result({ removed: name }, () => `Webhook '${name}' removed.`);
    });

  webhooks
    .command('test')
    .description('send a signed webhook.ping now and show the answer')
    .argument('<name>', 'webhook name')
    .action(async (name: string) => {
      const result = await (await ctx.gatehouse()).webhooks.test(name);
      ctx
        .output()
        .result(result, () =>
          result.ok
            ? `Ping delivered: HTTP ${result.status} in ${result.latencyMs} ms.`
            : `Ping failed: ${result.error ?? `HTTP ${result.status}`} (${result.latencyMs} ms).`,
        );
      if (!result.ok) ctx.setExitCode(1);
    });

  webhooks
    .command('deliveries')
    .description('the delivery log, newest first: status, HTTP answer, attempts, latency')
    .argument('<name>', 'webhook name')
    .option('--failed', 'only deliveries given up after the retry window')
    .option('--limit <n>', 'at most this many (default 100)', '100')
    .action(async (name: string, options: { failed?: boolean; limit: string }) => {
      const list = await (await ctx.gatehouse()).webhooks.deliveries(name, {
        failed: options.failed === true,
        limit: Number(options.limit) || 100,
      });
      ctx.output().result(list, () => deliveriesText(list));
    });

  webhooks
    .command('redeliver')
    .description('queue an event for delivery again (same webhook-id)')
    .argument('<name>', 'webhook name')
    .argument('<event>', 'event id')
    .option('--connection <name>', 'whose event id it is (for a webhook of every connection)')
    .action(async (name: string, event: string, options: { connection?: string }) => {
      const list = await (await ctx.gatehouse()).webhooks.redeliver(name, event, options.connection);
      ctx.output().result(list, () => `Event ${event} queued for '${name}' again.`);
    });
  return webhooks;
}
