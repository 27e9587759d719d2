import { randomInt } from 'node:crypto';

// Entra requires 8–256 characters from at least three of: lower case, upper case, digits, symbols
// (https://learn.microsoft.com/entra/identity/authentication/concept-password-ban-bad-combined-policy).
// We use all four classes and 20 characters; look-alike characters are left out so a password read aloud works.
const CLASSES = ['abcdefghijkmnopqrstuvwxyz', 'ABCDEFGHJKLMNPQRSTUVWXYZ', '23456789', '!@#$%^&*-_=+?'] as const;
const ALL = CLASSES.join('');

function pick(alphabet: string): string {
  return alphabet[randomInt(alphabet.length)] as string;
}

/** A strong random initial password with every character class, from the CSPRNG. */
export function generatePassword(length = 20): string {
  const chars = CLASSES.map(pick);
  while (chars.length < length) chars.push(pick(ALL));
  // Fisher–Yates, so the guaranteed characters are not always first.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  return chars.join('');
}
