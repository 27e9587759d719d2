import { createHash } from 'node:crypto';
import { inspect } from 'node:util';

const REDACTED = '[redacted]';
const values = new WeakMap<Secret, string>();

/**
 * A secret value that cannot leak by accident: `toString`, `toJSON`, template strings, `util.inspect` and loggers
 * all print "[redacted]". The value lives in a module-private WeakMap (as openid-client keeps its client secret),
 * so it is not even an enumerable field; only `reveal()` returns it, and only the token client should call that.
 */
export class Secret {
  constructor(value: string) {
    values.set(this, value);
  }

  reveal(): string {
    return values.get(this) as string;
  }

  /** A short, non-reversible fingerprint for display ("sha256:1a2b3c4d"), so admins can tell two secrets apart. */
  fingerprint(): string {
    return `sha256:${createHash('sha256').update(this.reveal()).digest('hex').slice(0, 8)}`;
  }

  equals(other: Secret): boolean {
    return this.reveal() === other.reveal();
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [inspect.custom](): string {
    return `Secret(${REDACTED})`;
  }
}
