import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createManualClock } from '../core/clock.js';
import { createLoginThrottle, createMemoryThrottleStore, throttleDelayMs } from './login-throttle.js';

test('the delay is free, then doubles, then is capped', () => {
  const policy = { free: 3, baseMs: 1000, maxMs: 5000, resetMs: 60_000 };
  assert.deepEqual(
    [0, 1, 2, 3, 4, 5, 6, 100].map((f) => throttleDelayMs(f, policy)),
    [0, 0, 0, 1000, 2000, 4000, 5000, 5000],
  );
});

test('concurrent reservations never exceed the free attempts; a success forgets them', async () => {
  const clock = createManualClock();
  const throttle = createLoginThrottle({ clock, maxFailures: 4 });
  const decisions = await Promise.all(Array.from({ length: 50 }, () => throttle.reserve('ada', '10.0.0.1')));
  assert.equal(decisions.filter((d) => d.allowed).length, 4);
  const refused = decisions.filter((d) => !d.allowed);
  assert.equal(refused.filter((d) => d.firstInWindow).length, 1, 'one refusal per window is reported');
  await throttle.succeeded('ada', '10.0.0.1');
  assert.equal((await throttle.reserve('ada', '10.0.0.1')).allowed, true);
});

test('the memory store is bounded and pruned', async () => {
  const clock = createManualClock();
  const store = createMemoryThrottleStore(100);
  const throttle = createLoginThrottle({ clock, store });
  for (let i = 0; i < 500; i++) await throttle.reserve(`user${i}`, `10.0.${i >> 8}.${i & 255}`);
  assert.ok(store.size() <= 100, `${store.size()} records`);
  // Records expire: a prune after the reset period leaves only what was touched since.
  clock.advance(3_600_000);
  await throttle.reserve('late', '10.9.9.9');
  assert.equal(store.size(), 3);
});
