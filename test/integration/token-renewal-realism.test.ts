import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { createManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/core/logger.js';
import { startEmulator } from '../../src/emulator/index.js';
import { TokenProvider } from '../../src/entra/token-provider.js';
import { emulatorSettings } from '../support/emulator-settings.js';

// Issue 11: Entra issues app tokens for 60–90 minutes, randomised; renewal must follow each token's own lifetime.
describe('token renewal under randomised lifetimes', () => {
  const emulatorPromise = startEmulator({
    seed: 'token-lifetimes',
    realism: { tokenLifetimeSeconds: { min: 3600, max: 5400 } },
  });
  after(async () => (await emulatorPromise).stop());

  it('renews each token 5–6 minutes before its own expiry, whatever its lifetime', async () => {
    const emulator = await emulatorPromise;
    const clock = createManualClock(new Date());
    const tokens = new TokenProvider(emulatorSettings(emulator), { clock, logger: silentLogger, random: () => 1 });
    const tokenRequests = () => emulator.requestLog().filter((e) => e.kind === 'token').length;
    const lifetimes: number[] = [];
    let current = await tokens.getToken();
    for (let round = 0; round < 3; round++) {
      const lifetimeMs = current.expiresAt.getTime() - current.obtainedAt.getTime();
      lifetimes.push(Math.round(lifetimeMs / 1000));
      const before = tokenRequests();
      clock.advance(lifetimeMs - 6 * 60_000 - 1_000);
      assert.equal(await tokens.getAccessToken(), current.accessToken, 'not renewed early');
      assert.equal(tokenRequests(), before);
      clock.advance(2_000);
      const next = await tokens.getToken();
      assert.notEqual(next.accessToken, current.accessToken, 'renewed before its own expiry');
      assert.equal(tokenRequests(), before + 1);
      current = next;
    }
    assert.ok(
      lifetimes.every((s) => s >= 3590 && s <= 5400),
      `lifetimes ${lifetimes}`,
    );
    assert.ok(new Set(lifetimes).size > 1, `lifetimes differ: ${lifetimes}`);
  });
});
