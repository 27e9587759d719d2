import assert from 'node:assert/strict';
import { test } from 'node:test';
import { jobTimingsFromEnv } from './job-timings-env.js';

test('job timings: set variables override, unset ones keep the defaults, bad values name the variable', () => {
  assert.deepEqual(jobTimingsFromEnv({}), {});
  assert.deepEqual(jobTimingsFromEnv({ GATEHOUSE_JOB_EXPIRE_SECONDS: '600', GATEHOUSE_JOB_POLL_SECONDS: '0.5' }), {
    expireSeconds: 600,
    pollingIntervalSeconds: 0.5,
  });
  for (const [name, value] of [
    ['GATEHOUSE_JOB_EXPIRE_SECONDS', '0'],
    ['GATEHOUSE_JOB_RETRY_DELAY_SECONDS', '1.5'],
    ['GATEHOUSE_JOB_POLL_SECONDS', '0.1'],
    ['GATEHOUSE_JOB_RETRY_LIMIT', 'many'],
  ] as const) {
    assert.throws(
      () => jobTimingsFromEnv({ [name]: value }),
      (error: { code?: string; message?: string }) =>
        error.code === 'CONFIG_INVALID' && error.message?.includes(name) === true,
    );
  }
});
