import { createHash, randomBytes } from 'node:crypto';

/**
 * Deterministic identifiers derived from the emulator's seed, so `gatehouse emulator --seed S` prints the same
 * tenant, client id and secret on every start (handy for saved connections), while distinct labels never collide.
 */
export function seededGuid(seed: string, label: string): string {
  const hex = createHash('sha256').update(`${seed}\u0000${label}`).digest('hex');
  // Shape it as a version-4 GUID, as Entra's object ids are.
  const variant = ((Number.parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${variant}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

const SECRET_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A client secret value in the shape the portal issues today: 40 characters, three alphanumerics, a digit, then
 * `Q~` and 34 characters of [A-Za-z0-9._~-] (e.g. `Abc8Q~…`). The shape matters: gatehouse tells a secret value
 * apart from a secret ID (a GUID) by it.
 */
export function secretValueFrom(bytes: Buffer): string {
  const pick = (alphabet: string, i: number) => alphabet[(bytes[i % bytes.length] ?? 0) % alphabet.length];
  let out = '';
  for (let i = 0; i < 3; i++) out += pick(ALNUM, i);
  out += String((bytes[3] ?? 0) % 10);
  out += 'Q~';
  for (let i = 0; i < 34; i++) out += pick(SECRET_ALPHABET, i + 4);
  return out;
}

export function seededSecretValue(seed: string, label: string): string {
  return secretValueFrom(createHash('sha512').update(`${seed}\u0000secret\u0000${label}`).digest());
}

export function randomSecretValue(): string {
  return secretValueFrom(randomBytes(64));
}

/** A random GUID for trace ids, request ids and new objects. */
export function randomGuid(): string {
  return crypto.randomUUID();
}
