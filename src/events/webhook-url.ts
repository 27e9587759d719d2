import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';
import { AppError } from '../core/errors.js';

/** Private, link-local, unspecified and other non-public ranges a webhook may not target unless allowed. */
const PRIVATE = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const) {
  PRIVATE.addSubnet(net, prefix, 'ipv6');
}
const LOOPBACK = new BlockList();
LOOPBACK.addSubnet('127.0.0.0', 8, 'ipv4');
LOOPBACK.addAddress('::1', 'ipv6');

function family(address: string): 'ipv4' | 'ipv6' {
  return isIP(address) === 6 ? 'ipv6' : 'ipv4';
}

/** IPv4-mapped IPv6 (`::ffff:10.0.0.1`) is judged as the IPv4 address it carries. */
function unmapped(address: string): string {
  const match = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return match ? (match[1] as string) : address;
}

export function isLoopback(address: string): boolean {
  const a = unmapped(address);
  return LOOPBACK.check(a, family(a));
}

export function isPrivate(address: string): boolean {
  const a = unmapped(address);
  return PRIVATE.check(a, family(a));
}

export interface WebhookUrlOptions {
  /** GATEHOUSE_WEBHOOK_ALLOW_PRIVATE=1: private and link-local targets are allowed. */
  allowPrivate?: boolean;
  /** Name resolution (tests replace it). */
  resolve?: (host: string) => Promise<string[]>;
}

const resolveAll = async (host: string) => (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/**
 * The URL rules of product.md section 9.2: `https://`, or `http://` to a loopback host for development; no
 * credentials in the URL; refused when the host resolves to a private or link-local address unless allowed.
 * Returns the normalised URL.
 */
export async function checkWebhookUrl(text: string, options: WebhookUrlOptions = {}): Promise<string> {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new AppError('WEBHOOK_URL_INVALID', { message: `'${text}' is not an absolute URL.` });
  }
  if (url.username || url.password) {
    throw new AppError('WEBHOOK_URL_INVALID', { message: 'The webhook URL must not hold a user name or password.' });
  }
  const host = url.hostname.replace(/^\[|\]$/g, '');
  const hostIsLoopbackName = host === 'localhost' || host.endsWith('.localhost');
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new AppError('WEBHOOK_URL_INVALID', { message: `The webhook URL must be https://, not ${url.protocol}//.` });
  }
  let addresses: string[];
  try {
    addresses = isIP(host) ? [host] : await (options.resolve ?? resolveAll)(host);
  } catch {
    throw new AppError('WEBHOOK_URL_INVALID', { message: `The host '${host}' of the webhook URL does not resolve.` });
  }
  const loopback = addresses.length > 0 && addresses.every(isLoopback);
  if (url.protocol === 'http:' && !(loopback || (hostIsLoopbackName && addresses.every(isLoopback)))) {
    throw new AppError('WEBHOOK_URL_INVALID', {
      message: 'The webhook URL must be https:// (http:// only to a loopback host, for development).',
    });
  }
  if (!options.allowPrivate) {
    const blocked = addresses.find((a) => isPrivate(a));
    if (blocked) {
      throw new AppError('WEBHOOK_URL_NOT_ALLOWED', {
        message: `The webhook host '${host}' resolves to ${blocked}, a private or link-local address.`,
        details: { host, address: blocked },
      });
    }
  }
  return url.toString();
}
