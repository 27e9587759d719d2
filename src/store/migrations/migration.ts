import type { Kysely } from 'kysely';
import type { Engine } from '../engine.js';

/**
 * One schema step, written once for both engines with Kysely's schema builder. Where the engines differ, branch on
 * `engine` inside the migration (keep such branches rare and small). Migrations run in name order and never change
 * once released: add a new one instead.
 */
export interface Migration {
  readonly name: string;
  // biome-ignore lint/suspicious/noExplicitAny: migrations must not depend on the current schema type (Kysely's advice)
  up(db: Kysely<any>, engine: Engine): Promise<void>;
}
