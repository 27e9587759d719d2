import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { verifyPassword } from '../../src/accounts/password-hasher.js';
import { createManualClock } from '../../src/core/clock.js';
import { PASSWORD, startTestServer, type TestServer } from './server-harness.js';

// Issue 12, findings 2 and 5: the login throttle holds under concurrency, never locks the owner out for long,
// keeps the audit log to one row per refused window, and records a sanitised actor.
describe('login throttling under concurrency', () => {
  const clock = createManualClock(new Date('2026-06-01T00:00:00Z'));
  let server: TestServer;
  let verifications = 0;
  before(async () => {
    server = await startTestServer({
      clock,
      verifyPassword: async (password, stored) => {
        verifications += 1;
        // Yield so concurrent attempts really overlap the check, as the real (async) scrypt does.
        await new Promise((resolve) => setTimeout(resolve, 5));
        return verifyPassword(password, stored);
      },
    });
  });
  after(() => server.close());

  const login = (username: string, password: string, remoteAddress: string) =>
    server.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress });

  test('60 concurrent wrong passwords get at most 5 real verifications; the admin gets in from elsewhere after the backoff', async () => {
    verifications = 0;
    const responses = await Promise.all(
      Array.from({ length: 60 }, (_, i) => login('admin', `wrong password ${i}`, '203.0.113.7')),
    );
    const codes = responses.map((r) => r.json().error.code as string);
    assert.ok(verifications <= 5, `${verifications} password verifications for 60 concurrent attempts`);
    assert.equal(codes.filter((c) => c === 'AUTH_INVALID_CREDENTIALS').length, verifications);
    assert.equal(codes.filter((c) => c === 'AUTH_RATE_LIMITED').length, 60 - verifications);
    for (const r of responses.filter((r) => r.statusCode === 429)) assert.ok(Number(r.headers['retry-after']) >= 1);

    // The attacker's address stays blocked; the admin, from another address, waits for the short user backoff only.
    const early = await login('admin', PASSWORD, '198.51.100.1');
    assert.equal(early.statusCode, 429);
    assert.ok(Number(early.headers['retry-after']) <= 60, 'no hard lockout: the user backoff is short');
    clock.advance(6_000);
    const attackerAgain = await login('admin', 'still wrong', '203.0.113.7');
    assert.equal(attackerAgain.json().error.code, 'AUTH_RATE_LIMITED', 'the pair (admin, attacker) backs off longer');
    const ok = await login('admin', PASSWORD, '198.51.100.1');
    assert.equal(ok.statusCode, 200, ok.body);
  });

  test('the backoff grows exponentially and is not a hard lockout', async () => {
    clock.advance(3_600_000);
    const waits: number[] = [];
    for (let i = 0; i < 9; i++) {
      const response = await login('operator', 'wrong password!', '192.0.2.50');
      if (response.statusCode === 429) {
        waits.push(Number(response.headers['retry-after']));
        clock.advance(Number(response.headers['retry-after']) * 1000);
        i--;
        if (waits.length > 20) break;
      }
    }
    const increasing = waits.every((w, i) => i === 0 || w >= (waits[i - 1] as number));
    assert.ok(waits.length >= 3 && increasing, `waits ${waits.join(',')}`);
    assert.ok(Math.max(...waits) <= 15 * 60, 'capped at 15 minutes');
  });

  test('refused attempts are aggregated in the audit log, with a sanitised actor', async () => {
    clock.advance(3_600_000);
    const before = (await server.fixture.gatehouse.audit.list({ action: 'auth.login', limit: 1000 })).length;
    const evil = `viewer\u202e${'x'.repeat(150)}<script>`;
    for (let i = 0; i < 40; i++) await login(evil, 'wrong password!', '192.0.2.99');
    const all = await server.fixture.gatehouse.audit.list({ action: 'auth.login', limit: 1000 });
    const rows = all.slice(0, all.length - before);
    const limited = rows.filter((r) => r.errorCode === 'AUTH_RATE_LIMITED');
    assert.equal(limited.length, 1, 'one row for the refused window, not one per attempt');
    assert.equal(rows.length, 5 + 1);
    for (const row of rows) {
      assert.ok(row.actor.length <= 80, row.actor);
      assert.doesNotMatch(row.actor, /[\u202e<>]/);
    }
  });

  test('the counters live in the store: a second service on the same store agrees', async () => {
    clock.advance(3_600_000);
    const { createAccountService } = await import('../../src/accounts/account-service.js');
    const { SqlAccountRepository } = await import('../../src/store/account-repository.js');
    const { createLoginThrottleRepository } = await import('../../src/store/login-throttle-repository.js');
    const db = server.fixture.gatehouse.store.db;
    const other = createAccountService({
      repository: new SqlAccountRepository(db),
      loginThrottleStore: createLoginThrottleRepository(db),
      clock,
      passwordParams: { cost: 1024, blockSize: 8, parallelization: 1 },
    });
    for (let i = 0; i < 5; i++) await login('viewer', 'wrong password!', '192.0.2.1');
    await assert.rejects(other.login({ username: 'viewer', password: PASSWORD, ip: '192.0.2.1' }), {
      code: 'AUTH_RATE_LIMITED',
    });
    const rows = await db.selectFrom('login_throttle').selectAll().execute();
    assert.ok(
      rows.every((row) => !row.key.includes('viewer') && !row.key.includes('192.0.2.1')),
      'keys are hashed',
    );
  });
});
