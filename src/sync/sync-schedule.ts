import { Cron } from 'croner';
import { AppError } from '../core/errors.js';

/** A stored sync schedule: every N minutes, or daily at a wall-clock time in an IANA time zone. */
export type SyncSchedule =
  | { kind: 'every'; minutes: number }
  | { kind: 'daily'; hour: number; minute: number; timeZone: string };

function invalid(spec: string, why: string): AppError {
  return new AppError('SYNC_INVALID_SCHEDULE', {
    message: `The schedule '${spec}' is not valid: ${why}.`,
    details: { spec },
  });
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/**
 * Parses `every 15m`, `every 2h`, `daily 02:30 Europe/Berlin` (zone defaults to UTC) or `off` (→ undefined).
 * Intervals run from 5 minutes to 7 days: a delta token lives 7 days (facts C.3).
 */
export function parseSchedule(spec: string): SyncSchedule | undefined {
  const text = spec.trim().replace(/\s+/g, ' ');
  if (/^off$/i.test(text)) return undefined;
  const every = /^every (\d+) ?(m|min|minutes?|h|hours?)$/i.exec(text);
  if (every) {
    const minutes = Number(every[1]) * (every[2]?.toLowerCase().startsWith('h') ? 60 : 1);
    if (minutes < 5 || minutes > 7 * 24 * 60) throw invalid(spec, 'the interval must be between 5 minutes and 7 days');
    return { kind: 'every', minutes };
  }
  const daily = /^daily (\d{1,2}):(\d{2})(?: (\S+))?$/i.exec(text);
  if (daily) {
    const hour = Number(daily[1]);
    const minute = Number(daily[2]);
    const timeZone = daily[3] ?? 'UTC';
    if (hour > 23 || minute > 59) throw invalid(spec, 'the time must be HH:MM between 00:00 and 23:59');
    if (!isTimeZone(timeZone)) throw invalid(spec, `'${timeZone}' is not an IANA time zone`);
    return { kind: 'daily', hour, minute, timeZone };
  }
  throw invalid(spec, 'expected `every N m|h`, `daily HH:MM [Zone]` or `off`');
}

/** The canonical text of a schedule (what is stored and shown). */
export function formatSchedule(schedule: SyncSchedule): string {
  if (schedule.kind === 'every') {
    return schedule.minutes % 60 === 0 ? `every ${schedule.minutes / 60}h` : `every ${schedule.minutes}m`;
  }
  const hh = String(schedule.hour).padStart(2, '0');
  const mm = String(schedule.minute).padStart(2, '0');
  return `daily ${hh}:${mm} ${schedule.timeZone}`;
}

/** When the schedule next fires after `from` (for `every`, counted from the last run). */
export function nextRunAt(schedule: SyncSchedule, from: Date): Date {
  if (schedule.kind === 'every') return new Date(from.getTime() + schedule.minutes * 60_000);
  const cron = new Cron(`${schedule.minute} ${schedule.hour} * * *`, { timezone: schedule.timeZone, paused: true });
  const next = cron.nextRun(from);
  cron.stop();
  if (!next) throw invalid(formatSchedule(schedule), 'it never fires');
  return next;
}
