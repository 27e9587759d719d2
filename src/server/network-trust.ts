import { BlockList, isIP } from 'node:net';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../core/errors.js';

/**
 * Which proxies may speak for the client (X-Forwarded-For/-Proto/-Host): a hop count, or addresses, CIDR ranges and
 * proxy-addr's names (`loopback`, `linklocal`, `uniquelocal`). Never "every sender": that would let anyone forge the
 * address the login throttle and the audit log rely on (issue 12, finding 4).
 */
export type TrustProxy = false | number | readonly string[];

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
const MAX_HOPS = 16;

function validCidr(entry: string): boolean {
  const [address, bits, ...rest] = entry.split('/');
  if (rest.length > 0 || !address) return false;
  const family = isIP(address);
  if (family === 0) return false;
  if (bits === undefined) return true;
  if (!/^\d{1,3}$/.test(bits)) return false;
  const prefix = Number(bits);
  if (prefix > (family === 4 ? 32 : 128)) return false;
  try {
    new BlockList().addSubnet(address, prefix, family === 4 ? 'ipv4' : 'ipv6');
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses `--trust-proxy`: absent → false; bare (`true`) → loopback only, with a note saying so; a number → that many
 * hops; else a comma-separated list of addresses, CIDRs or names. Anything meaning "all" is refused.
 */
export function parseTrustProxy(
  value: string | boolean | undefined,
  note: (text: string) => void = () => {},
): TrustProxy {
  if (value === undefined || value === false) return false;
  if (value === true) {
    note(
      'note: --trust-proxy without a value trusts only a proxy on this machine (loopback); name yours, e.g. ' +
        '--trust-proxy 10.0.0.5,10.1.0.0/16, or give a hop count, e.g. --trust-proxy 1.',
    );
    return ['loopback'];
  }
  const text = value.trim();
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    if (hops < 1 || hops > MAX_HOPS) {
      throw new AppError('USAGE_ERROR', { message: `--trust-proxy: a hop count is 1 to ${MAX_HOPS}.` });
    }
    return hops;
  }
  const entries = text
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  if (entries.length === 0)
    throw new AppError('USAGE_ERROR', { message: '--trust-proxy needs an address or a hop count.' });
  for (const entry of entries) {
    if (['true', 'all', '*', '0.0.0.0/0', '::/0'].includes(entry.toLowerCase())) {
      throw new AppError('USAGE_ERROR', {
        message: '--trust-proxy does not trust every sender: anyone could then forge the client address.',
        hint: 'Name the reverse proxy: --trust-proxy 10.0.0.5 (addresses or CIDRs, comma separated), loopback, or a hop count.',
      });
    }
    if (!PROXY_NAMES.has(entry) && !validCidr(entry)) {
      // The entry is not echoed: a mistyped flag may hold anything.
      throw new AppError('USAGE_ERROR', {
        message:
          '--trust-proxy takes addresses, CIDR ranges (10.0.0.0/8), loopback, linklocal, uniquelocal or a hop count.',
      });
    }
  }
  return entries;
}

/** What Fastify's `trustProxy` option takes. `true` from older callers means loopback only. */
export function fastifyTrustProxy(
  value: TrustProxy | boolean | undefined,
): false | string[] | ((address: string, hop: number) => boolean) {
  if (value === undefined || value === false) return false;
  if (value === true) return ['loopback'];
  if (typeof value === 'number') {
    // A hop count, as proxy-addr reads it: trust the `value` nearest hops.
    const hops = value;
    return (_address, hop) => hop < hops;
  }
  return [...value];
}

/** Host names always allowed: the loopback names. */
export const LOOPBACK_HOSTS = ['localhost', '127.0.0.1', '[::1]', '::1'];

function hostnameOf(hostHeader: string): string | undefined {
  const text = hostHeader.trim().toLowerCase();
  if (text === '') return undefined;
  if (text.startsWith('[')) {
    const end = text.indexOf(']');
    return end < 0 ? undefined : text.slice(0, end + 1);
  }
  const colon = text.indexOf(':');
  return (colon < 0 ? text : text.slice(0, colon)).replace(/\.$/, '');
}

function normaliseAllowed(entry: string): string {
  const text = entry.trim().toLowerCase().replace(/\.$/, '');
  return isIP(text) === 6 ? `[${text}]` : text;
}

/**
 * The Host allowlist (DNS rebinding, issue 12 finding 13): `--allowed-hosts a,b,*.example.com`; the default is the
 * bound address, the public URL's host and the loopback names. Health probes (/healthz, /readyz) are exempt, as
 * orchestrators call them by the pod's address.
 */
export function hostAllowlist(options: { allowedHosts?: readonly string[]; bindHost?: string; publicUrl?: string }) {
  const exact = new Set<string>();
  const suffixes: string[] = [];
  // Loopback names are always allowed: a rebinding attack arrives under the attacker's own name, never these.
  const entries = [
    ...LOOPBACK_HOSTS,
    ...(options.allowedHosts?.length
      ? options.allowedHosts
      : [
          ...(options.bindHost && options.bindHost !== '0.0.0.0' && options.bindHost !== '::'
            ? [options.bindHost]
            : []),
          ...(options.publicUrl ? [new URL(options.publicUrl).hostname] : []),
        ]),
  ];
  for (const raw of entries) {
    const entry = normaliseAllowed(raw);
    if (entry.startsWith('*.')) suffixes.push(entry.slice(1));
    else if (entry !== '') exact.add(entry === '::1' ? '[::1]' : entry);
  }
  return (hostHeader: string | undefined): boolean => {
    if (hostHeader === undefined) return false;
    const hostname = hostnameOf(hostHeader);
    if (!hostname) return false;
    return (
      exact.has(hostname) || suffixes.some((suffix) => hostname.endsWith(suffix) && hostname.length > suffix.length)
    );
  };
}

/** Parses `--allowed-hosts`: host names, addresses or `*.domain`, comma separated. */
export function parseAllowedHosts(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const entries = value
    .split(',')
    .map((e) => e.trim())
    .filter((e) => e !== '');
  for (const entry of entries) {
    if (entry === '*' || !/^(\*\.)?[a-z0-9.:[\]-]{1,253}$/i.test(entry)) {
      throw new AppError('USAGE_ERROR', {
        message: '--allowed-hosts takes host names, addresses or *.domain, comma separated (no "*" alone).',
      });
    }
  }
  return entries.length > 0 ? entries : undefined;
}

const PROBES = new Set(['/healthz', '/readyz']);

/** Refuses requests whose Host (or trusted X-Forwarded-Host) is not allowed, before anything else runs. */
export function registerHostCheck(app: FastifyInstance, allowed: (host: string | undefined) => boolean): void {
  app.addHook('onRequest', async (request) => {
    const path = request.url.split('?')[0] ?? '';
    if (PROBES.has(path)) return;
    const raw = request.headers.host;
    // request.host follows X-Forwarded-Host only from a trusted proxy; both must be allowed.
    if (!allowed(raw) || (request.host !== raw && !allowed(request.host))) {
      throw new AppError('HOST_NOT_ALLOWED');
    }
  });
}
