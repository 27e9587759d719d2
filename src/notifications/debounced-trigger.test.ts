import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createManualClock } from '../core/clock.js';
import { createCatchUpTrigger, createDebouncedTrigger } from './debounced-trigger.js';

const settle = () => new Promise((r) => setImmediate(r));

test('a burst within the window runs once per key; a call after the window starts a new run', async () => {
  const clock = createManualClock();
  const runs: string[] = [];
  const trigger = createDebouncedTrigger({ delayMs: 2_000, clock, run: async (key) => void runs.push(key) });
  for (let i = 0; i < 50; i++) trigger.trigger('a');
  trigger.trigger('b');
  clock.advance(1_999);
  await settle();
  assert.deepEqual(runs, [], 'nothing before the window ends');
  assert.deepEqual(trigger.pending().sort(), ['a', 'b']);
  clock.advance(1);
  await settle();
  assert.deepEqual(runs.sort(), ['a', 'b']);
  trigger.trigger('a');
  clock.advance(2_000);
  await settle();
  assert.deepEqual(runs.sort(), ['a', 'a', 'b']);
});

test('the window is fixed from its first call, so a steady stream still runs', async () => {
  const clock = createManualClock();
  let runs = 0;
  const trigger = createDebouncedTrigger({ delayMs: 2_000, clock, run: async () => void runs++ });
  for (let t = 0; t < 10; t++) {
    trigger.trigger('a');
    clock.advance(500);
    await settle();
  }
  assert.equal(runs, 2);
  trigger.stop();
  trigger.trigger('a');
  clock.advance(5_000);
  await settle();
  assert.equal(runs, 2, 'stopped');
});

test('the catch-up runs once, delayMs after the last call of a burst (sliding), and not after stop', async () => {
  const clock = createManualClock();
  const runs: string[] = [];
  const catchUp = createCatchUpTrigger({ delayMs: 3_500, clock, run: async (key) => void runs.push(key) });
  catchUp.trigger('a');
  clock.advance(3_000);
  await settle();
  catchUp.trigger('a');
  catchUp.trigger('b');
  clock.advance(3_499);
  await settle();
  assert.deepEqual(runs, [], 'the deadline moved with the last call');
  assert.deepEqual(catchUp.pending().sort(), ['a', 'b']);
  clock.advance(1);
  await settle();
  await settle();
  assert.deepEqual(runs.sort(), ['a', 'b']);
  assert.deepEqual(catchUp.pending(), []);
  catchUp.trigger('a');
  clock.advance(3_500);
  await settle();
  await settle();
  assert.deepEqual(runs.sort(), ['a', 'a', 'b'], 'a call after the run starts a new wait');
  catchUp.trigger('a');
  catchUp.stop();
  clock.advance(10_000);
  await settle();
  assert.equal(runs.length, 3, 'stopped');
});
