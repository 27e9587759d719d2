import assert from 'node:assert/strict';
import { test } from 'node:test';
import { silentLogger } from '../core/logger.js';
import { createInProcessWorkQueue } from './in-process-work-queue.js';

test('in-process queue: a once-key is kept once, retry-later runs again, serializeBy runs one at a time', async () => {
  const queue = createInProcessWorkQueue({ logger: silentLogger, retryDelayMs: 1 });
  const log: string[] = [];
  let active = 0;
  let maxActive = 0;
  let retried = false;
  let resolveAll!: () => void;
  const allDone = new Promise<void>((r) => {
    resolveAll = r;
  });
  await queue.work<{ name: string }>('sync', async (data, context) => {
    active += 1;
    maxActive = Math.max(maxActive, active);
    await new Promise((r) => setImmediate(r));
    active -= 1;
    log.push(`${data.name}#${context.attempt}`);
    if (data.name === 'b' && !retried) {
      retried = true;
      return 'retry-later';
    }
    if (log.length === 4) resolveAll();
    return 'done';
  });
  const first = await queue.enqueue('sync', { name: 'a' }, { onceKey: 'slot-1', serializeBy: 'c' });
  const again = await queue.enqueue('sync', { name: 'a' }, { onceKey: 'slot-1', serializeBy: 'c' });
  await queue.enqueue('sync', { name: 'b' }, { serializeBy: 'c' });
  await queue.enqueue('sync', { name: 'c' }, { serializeBy: 'c' });
  await allDone;
  await queue.stop();
  assert.equal(first.enqueued, true);
  assert.equal(again.enqueued, false);
  assert.deepEqual(log, ['a#0', 'b#0', 'c#0', 'b#1']);
  assert.equal(maxActive, 1);
});

test('in-process queue: jobs enqueued before a handler exists run once it is registered', async () => {
  const queue = createInProcessWorkQueue({ logger: silentLogger });
  await queue.enqueue('later', { n: 1 });
  const seen = await new Promise<number>((resolve) => {
    void queue.work<{ n: number }>('later', async (data) => {
      resolve(data.n);
      return 'done';
    });
  });
  await queue.stop();
  assert.equal(seen, 1);
});
