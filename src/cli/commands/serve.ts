import type { Command } from 'commander';
import { AppError } from '../../core/errors.js';
import { jobTimingsFromEnv } from '../../jobs/job-timings-env.js';
import { parseAllowedHosts, parseTrustProxy } from '../../server/network-trust.js';
import { parsePublicUrl } from '../../server/public-url.js';
import { startServer } from '../../server/start-server.js';
import type { CliContext } from '../cli-context.js';
import { shownValue } from '../shown-value.js';

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

interface ServeOptions {
  host: string;
  port: string;
  trustProxy?: string | boolean;
  allowedHosts?: string;
  publicUrl?: string;
}

function parsePort(text: string): number {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new AppError('USAGE_ERROR', { message: `--port ${shownValue(text)} is not a port number (0–65535).` });
  }
  return port;
}

/** Resolves on SIGINT or SIGTERM (Ctrl-C), so the command can close the server cleanly. */
export function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

/** `gatehouse serve`: the REST API, the web UI and the scheduler, until Ctrl-C. */
export function registerServeCommand(program: Command, ctx: CliContext): Command {
  return program
    .command('serve')
    .description('run the REST API (/api/v1, docs at /api/docs), the web UI and the sync scheduler')
    .option('--host <host>', 'address to listen on (loopback unless told otherwise)', '127.0.0.1')
    .option('--port <port>', 'port to listen on', '8080')
    .option(
      '--trust-proxy [proxies]',
      'behind a reverse proxy that terminates https: trust X-Forwarded-* from these proxies (addresses or CIDRs, comma separated, or a hop count; bare = loopback only)',
    )
    .option(
      '--allowed-hosts <hosts>',
      'host names the server answers to, comma separated, *.domain allowed (env GATEHOUSE_ALLOWED_HOSTS; default: the --host address, the --public-url host and localhost)',
      ctx.io.env.GATEHOUSE_ALLOWED_HOSTS,
    )
    .option(
      '--public-url <url>',
      'the https address browsers use to reach gatehouse (env GATEHOUSE_PUBLIC_URL): enables the admin-consent round trip at /consent/callback and Graph change notifications (sync configure --notifications on)',
      ctx.io.env.GATEHOUSE_PUBLIC_URL,
    )
    .action(async (options: ServeOptions) => {
      const publicUrl = options.publicUrl ? parsePublicUrl(options.publicUrl) : undefined;
      const trustProxy = parseTrustProxy(options.trustProxy, (text) => ctx.io.stderr.write(`${text}\n`));
      const allowedHosts = parseAllowedHosts(options.allowedHosts);
      const gatehouse = await ctx.gatehouse();
      const server = await startServer(gatehouse, {
        host: options.host,
        port: parsePort(options.port),
        ...(ctx.io.env.GATEHOUSE_DATABASE_URL ? { databaseUrl: ctx.io.env.GATEHOUSE_DATABASE_URL } : {}),
        ...(ctx.io.env.GATEHOUSE_DATABASE_SCHEMA ? { databaseSchema: ctx.io.env.GATEHOUSE_DATABASE_SCHEMA } : {}),
        ...(trustProxy ? { trustProxy } : {}),
        ...(allowedHosts ? { allowedHosts } : {}),
        ...(publicUrl ? { publicUrl } : {}),
        jobTimings: jobTimingsFromEnv(ctx.io.env),
      });
      const out = ctx.output();
      out.result({ url: server.url, ...(server.setupUrl ? { setupUrl: server.setupUrl } : {}) }, () => [
        `gatehouse is listening on ${server.url}  (API docs: ${server.url}/api/docs)`,
        ...(server.setupUrl
          ? [
              '',
              'No admin account exists yet. Open this one-time link to create the first admin:',
              `  ${server.setupUrl}`,
              '(or run `gatehouse accounts create NAME --admin`)',
            ]
          : []),
      ]);
      if (!LOOPBACK.has(options.host)) {
        out.note(`warning: listening on ${options.host}, not only loopback; put https in front of it (--trust-proxy).`);
        if (!allowedHosts) {
          out.note(
            'note: only requests for the --host address, the --public-url host and localhost are answered; add others with --allowed-hosts.',
          );
        }
      }
      await untilInterrupted();
      out.note('stopping…');
      await server.close();
    });
}
