import { AppError } from '../core/errors.js';
import type { ConnectionType } from './connection-type.js';
import { entraIdType } from './entra-id/entra-id-type.js';

/** The registered connection types, looked up by name regardless of case. */
export interface ConnectionTypeRegistry {
  get(name: string): ConnectionType;
  list(): readonly ConnectionType[];
}

export function createConnectionTypeRegistry(types: readonly ConnectionType[]): ConnectionTypeRegistry {
  const byName = new Map(types.map((t) => [t.name.toLowerCase(), t]));
  return {
    get(name) {
      const type = byName.get(name.trim().toLowerCase());
      if (!type) {
        const known = types.map((t) => t.name);
        throw new AppError('CONNECTION_UNKNOWN_TYPE', {
          message: `Unknown connection type '${name}'. Known types: ${known.join(', ')}.`,
          details: { type: name, knownTypes: known },
        });
      }
      return type;
    },
    list: () => types,
  };
}

/** Every type gatehouse ships. */
export const BUILT_IN_CONNECTION_TYPES: readonly ConnectionType[] = [entraIdType];
