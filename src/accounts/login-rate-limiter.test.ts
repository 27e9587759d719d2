import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createManualClock } from '../core/clock.js';
import { LoginRateLimiter } from './login-rate-limiter.js';

test('a key is limited after the allowed failures until its window ends; a success resets it', () => {
  const clock = createManualClock();
  const limiter = new LoginRateLimiter({ clock, maxFailures: 3, windowMs: 60_000 });
  for (let i = 0; i < 3; i++) {
    assert.equal(limiter.retryAfterSeconds('user:ada'), 0);
    limiter.recordFailure('user:ada');
  }
  assert.equal(limiter.retryAfterSeconds('user:ada'), 60);
  assert.equal(limiter.retryAfterSeconds('user:bob'), 0, 'other keys are not affected');
  clock.advance(45_000);
  assert.equal(limiter.retryAfterSeconds('user:ada'), 15);
  clock.advance(15_000);
  assert.equal(limiter.retryAfterSeconds('user:ada'), 0, 'the window has passed');
  limiter.recordFailure('user:bob');
  limiter.reset('user:bob');
  limiter.recordFailure('user:bob');
  limiter.recordFailure('user:bob');
  assert.equal(limiter.retryAfterSeconds('user:bob'), 0);
});
