import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatSchedule, nextRunAt, parseSchedule } from './sync-schedule.js';

describe('sync schedules', () => {
  it('parses intervals, daily times with zones and off', () => {
    assert.deepEqual(parseSchedule('every 15m'), { kind: 'every', minutes: 15 });
    assert.deepEqual(parseSchedule('Every  2 hours'), { kind: 'every', minutes: 120 });
    assert.equal(formatSchedule(parseSchedule('every 120 min') as never), 'every 2h');
    assert.equal(formatSchedule(parseSchedule('daily 2:30 Europe/Berlin') as never), 'daily 02:30 Europe/Berlin');
    assert.equal(parseSchedule('off'), undefined);
  });

  it('refuses nonsense with SYNC_INVALID_SCHEDULE', () => {
    for (const bad of ['every 1m', 'every 8d', 'daily 25:00', 'daily 02:30 Mars/Olympus', 'hourly', '']) {
      assert.throws(() => parseSchedule(bad), { code: 'SYNC_INVALID_SCHEDULE' }, bad);
    }
  });

  it('computes the next run in the schedule’s time zone', () => {
    const from = new Date('2026-07-01T00:00:00Z');
    // 02:30 in Berlin (UTC+2 in summer) is 00:30 UTC.
    assert.equal(
      nextRunAt(parseSchedule('daily 02:30 Europe/Berlin') as never, from).toISOString(),
      '2026-07-01T00:30:00.000Z',
    );
    assert.equal(nextRunAt(parseSchedule('every 15m') as never, from).toISOString(), '2026-07-01T00:15:00.000Z');
  });
});
