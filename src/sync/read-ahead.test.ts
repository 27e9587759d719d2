import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ReadAhead } from './read-ahead.js';

/** A source of pages 1..n that records how many were pulled; `fail` throws in place of that page. */
function source(n: number, options: { fail?: number; hangAfter?: number } = {}) {
  const seen = { pulled: 0, returned: false };
  async function* pages(): AsyncGenerator<number> {
    try {
      for (let i = 1; i <= n; i++) {
        if (options.hangAfter !== undefined && i > options.hangAfter) await new Promise(() => {});
        if (i === options.fail) throw new Error(`page ${i} failed`);
        seen.pulled++;
        yield i;
      }
    } finally {
      seen.returned = true;
    }
  }
  return { pages: pages(), seen };
}

const turns = (k: number) => new Promise<void>((resolve) => setTimeout(resolve, k));

describe('ReadAhead', () => {
  it('hands over every page once, in order, and ends with undefined', async () => {
    const { pages } = source(7);
    const ahead = new ReadAhead(pages, 3, (p) => p === 7);
    const got: number[] = [];
    for (let p = await ahead.next(); p !== undefined; p = await ahead.next()) got.push(p);
    assert.deepEqual(got, [1, 2, 3, 4, 5, 6, 7]);
    await ahead.close();
  });

  it('reads at most maxAhead pages ahead of a writer that does not take them', async () => {
    const { pages, seen } = source(50);
    const ahead = new ReadAhead(pages, 4, () => false);
    await turns(20);
    assert.equal(seen.pulled, 4, 'bounded: a slow store never holds a whole round in memory');
    assert.equal(await ahead.next(), 1);
    await turns(20);
    assert.equal(seen.pulled, 5, 'one taken, one more read');
    await ahead.close();
    assert.equal(seen.returned, true, 'close() closes the source');
  });

  it('ready() takes a page that has arrived, and answers undefined at once when none is coming', async () => {
    const { pages } = source(10, { hangAfter: 2 });
    const ahead = new ReadAhead(pages, 8, () => false);
    assert.equal(await ahead.next(), 1);
    await turns(5);
    assert.equal(await ahead.ready(), 2, 'already here');
    const started = performance.now();
    assert.equal(await ahead.ready(), undefined, 'page 3 never comes: ready() does not wait for it');
    assert.ok(performance.now() - started < 1000);
  });

  it('throws a failed fetch only after the pages read before it', async () => {
    const { pages } = source(9, { fail: 4 });
    const ahead = new ReadAhead(pages, 16, () => false);
    await turns(10);
    assert.equal(await ahead.ready(), 1);
    assert.equal(await ahead.ready(), 2);
    assert.equal(await ahead.next(), 3);
    assert.equal(await ahead.ready(), undefined, 'ready() never throws: the writer commits what it has first');
    await assert.rejects(ahead.next(), /page 4 failed/);
    await ahead.close();
  });

  it('stops after the last page without asking the source for another', async () => {
    const { pages, seen } = source(10);
    const ahead = new ReadAhead(pages, 16, (p) => p === 3);
    const got: number[] = [];
    for (let p = await ahead.next(); p !== undefined; p = await ahead.next()) got.push(p);
    assert.deepEqual(got, [1, 2, 3]);
    assert.equal(seen.pulled, 3);
    await ahead.close();
  });
});
