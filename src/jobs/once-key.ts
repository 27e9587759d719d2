import { createHash } from 'node:crypto';

/**
 * A job id derived from a key, so every instance that enqueues "the same" job produces the same id and the queue's
 * primary key keeps only one. Shaped as an RFC 9562 version-8 (custom) UUID because pg-boss ids are `uuid`.
 *
 * @example onceKeyId('schedule:hr-prod:2026-01-01T10:00:00.000Z') // '3f0c…-8…'
 */
export function onceKeyId(key: string): string {
  const hex = createHash('sha256').update(key).digest('hex').slice(0, 32).split('');
  hex[12] = '8'; // version 8
  hex[16] = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16); // RFC variant
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20)}`;
}
