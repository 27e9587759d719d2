import type { Connection } from '../connections/connection.js';
import type { DoctorConnections } from './ports.js';

/**
 * The connections the doctor sees while it tests an unsaved draft: the draft answers to its own id, and nothing the
 * test learns (result, token state) is recorded, because there is no saved connection to record it on.
 */
export function draftConnections(real: DoctorConnections, draft: Connection): DoctorConnections {
  const isDraft = (nameOrId: string) => nameOrId === draft.id;
  return {
    types: real.types,
    async get(nameOrId) {
      return isDraft(nameOrId) ? draft : real.get(nameOrId);
    },
    async resolveEntraSettings(nameOrId) {
      return isDraft(nameOrId) ? real.resolveSettingsOf(draft) : real.resolveEntraSettings(nameOrId);
    },
    resolveSettingsOf: (connection) => real.resolveSettingsOf(connection),
    revealParameter: (connection, parameter) => real.revealParameter(connection, parameter),
    async recordTestResult(nameOrId, result) {
      if (!isDraft(nameOrId)) await real.recordTestResult(nameOrId, result);
    },
    async recordTokenState(nameOrId, state) {
      if (!isDraft(nameOrId)) await real.recordTokenState(nameOrId, state);
    },
  };
}
