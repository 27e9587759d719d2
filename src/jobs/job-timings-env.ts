import { AppError } from '../core/errors.js';
import type { JobTimings } from './pg-boss-work-queue.js';

const VARIABLES: Record<string, keyof JobTimings> = {
  GATEHOUSE_JOB_EXPIRE_SECONDS: 'expireSeconds',
  GATEHOUSE_JOB_RETRY_DELAY_SECONDS: 'retryDelaySeconds',
  GATEHOUSE_JOB_RETRY_LIMIT: 'retryLimit',
  GATEHOUSE_JOB_POLL_SECONDS: 'pollingIntervalSeconds',
  GATEHOUSE_JOB_MAINTENANCE_SECONDS: 'maintenanceIntervalSeconds',
};

/**
 * Job-queue timings overridden from the environment (see JobTimings for each meaning and default). Operators rarely
 * need them; tests shrink them so a dead instance's job is retried within seconds.
 *
 * @example jobTimingsFromEnv({ GATEHOUSE_JOB_EXPIRE_SECONDS: '600' }) // { expireSeconds: 600 }
 */
export function jobTimingsFromEnv(env: Readonly<Record<string, string | undefined>>): Partial<JobTimings> {
  const timings: Partial<JobTimings> = {};
  for (const [name, key] of Object.entries(VARIABLES)) {
    const text = env[name]?.trim();
    if (!text) continue;
    const value = Number(text);
    // pg-boss polls at most every 0.5 s; everything else is whole seconds or counts.
    const minimum = key === 'pollingIntervalSeconds' ? 0.5 : key === 'retryLimit' ? 0 : 1;
    if (!Number.isFinite(value) || value < minimum || (key !== 'pollingIntervalSeconds' && !Number.isInteger(value))) {
      throw new AppError('CONFIG_INVALID', {
        message: `${name} must be a number of at least ${minimum}${key === 'pollingIntervalSeconds' ? '' : ' (whole)'}, not '${text}'.`,
        details: { variable: name },
      });
    }
    timings[key] = value;
  }
  return timings;
}
