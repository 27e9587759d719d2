import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { legacyNameKey, nameKey } from '../../src/connections/connection.js';
import { AppError } from '../../src/core/errors.js';
import { connectionNameKeysNfkcMigration } from '../../src/store/migrations/0003-connection-name-keys-nfkc.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';

/** Issue 12 findings 3 and 11: no connection answers for another's id; lookalike names are one name or refused. */

let fx: GatehouseFixture;
before(async () => {
  fx = await startGatehouseFixture({ emulator: { seed: 'connection-names' } });
});
after(() => fx.close());

const isCode = (code: string) => (e: unknown) => e instanceof AppError && e.code === code;
const params = () => Object.entries(fx.parametersFor(fx.emulator.defaultApp)).map(([key, value]) => ({ key, value }));

/** A row written the way an older gatehouse (or a database writer) could: any name, the old NFC key. */
async function plantRow(id: string, name: string, key = legacyNameKey(name)): Promise<void> {
  const { db } = fx.gatehouse.store;
  const source = await db
    .selectFrom('connections')
    .selectAll()
    .where('name', '=', fx.connectionName)
    .executeTakeFirstOrThrow();
  await db
    .insertInto('connections')
    .values({ ...source, id, name, name_key: key, last_test: null, token_state: null })
    .execute();
}

describe('connection ids and names (issue 12 findings 3 and 11)', () => {
  it('a UUID-shaped name is refused on create, rename, copy and import', async () => {
    const victim = await fx.gatehouse.connections.get(fx.connectionName);
    const uuid = victim.id.toUpperCase();
    await assert.rejects(
      fx.gatehouse.connections.create({ name: uuid, type: 'EntraID', parameters: params() }),
      isCode('CONNECTION_NAME_LOOKS_LIKE_ID'),
    );
    await assert.rejects(
      fx.gatehouse.connections.copy(fx.connectionName, victim.id),
      isCode('CONNECTION_NAME_LOOKS_LIKE_ID'),
    );
    await assert.rejects(
      fx.gatehouse.connections.update(fx.connectionName, { rename: ` ${victim.id} ` }),
      isCode('CONNECTION_NAME_LOOKS_LIKE_ID'),
    );
    const exported = await fx.runCli(['connections', 'export', fx.connectionName]);
    const doc = { ...JSON.parse(exported.stdout), name: victim.id };
    const file = join(fx.dataDir, 'uuid-named.json');
    writeFileSync(file, JSON.stringify(doc));
    const imported = await fx.runCli([
      'connections',
      'import',
      file,
      '--param',
      `ClientSecret=${fx.emulator.defaultApp.secretValue}`,
      '--json',
    ]);
    assert.equal(imported.exitCode, 2, imported.stdout + imported.stderr);
    assert.match(imported.stdout + imported.stderr, /CONNECTION_NAME_LOOKS_LIKE_ID/);
    assert.doesNotMatch(imported.stdout + imported.stderr, new RegExp(String(fx.emulator.defaultApp.secretValue)));
  });

  it('ids are looked up before names: a row named like another id does not answer for it (get, test, actions)', async () => {
    const victim = await fx.gatehouse.connections.get(fx.connectionName);
    // A row an older gatehouse accepted, or one written to the database, named like the victim's id.
    await plantRow('00000000-0000-4000-8000-00000000beef', victim.id);
    assert.equal((await fx.gatehouse.connections.get(victim.id)).name, fx.connectionName);
    const report = await fx.gatehouse.doctor.test(victim.id);
    assert.equal(report.connection, fx.connectionName);
    const settings = await fx.gatehouse.connections.resolveEntraSettings(victim.id);
    assert.equal(settings.connectionId, victim.id);
    const findings = await fx.gatehouse.connections.checkNames();
    assert.ok(findings.some((f) => f.problem === 'CONNECTION_NAME_LOOKS_LIKE_ID' && f.name === victim.id));
    await fx.gatehouse.connections.remove('00000000-0000-4000-8000-00000000beef');
  });

  it('format, separator, bidi and non-ASCII space characters are refused with a stable code', async () => {
    for (const name of [
      'E\u200Bmu',
      '\u202Eumé',
      'Emu\u2028x',
      'Emu\u2029',
      'E\u00A0mu',
      'E\u3000mu',
      '\uFEFFEmu',
      'E\u2066mu',
    ]) {
      await assert.rejects(
        fx.gatehouse.connections.create({ name, type: 'EntraID', parameters: params() }),
        isCode('CONNECTION_NAME_UNSAFE_CHARACTER'),
        JSON.stringify(name),
      );
    }
    await assert.rejects(
      fx.gatehouse.connections.create({ name: 'E\u0007mu', type: 'EntraID', parameters: params() }),
      isCode('CONNECTION_INVALID_NAME'),
    );
  });

  it('names are NFKC-normalised and compared regardless of case: Ｅｍｕ is Emu', async () => {
    const created = await fx.gatehouse.connections.create({ name: 'Ｅｍｕ', type: 'EntraID', parameters: params() });
    assert.equal(created.connection.name, 'Emu');
    await assert.rejects(
      fx.gatehouse.connections.create({ name: 'EMU', type: 'EntraID', parameters: params() }),
      isCode('CONNECTION_NAME_TAKEN'),
    );
    await assert.rejects(
      fx.gatehouse.connections.create({ name: 'ｅｍｕ', type: 'EntraID', parameters: params() }),
      isCode('CONNECTION_NAME_TAKEN'),
    );
    assert.equal((await fx.gatehouse.connections.get('ＥＭＵ')).id, created.connection.id);
    await fx.gatehouse.connections.remove('Emu');
  });

  it('the migration re-keys old rows with NFKC, keeps a colliding one, and check-names reports both', async () => {
    const kiwi = await fx.gatehouse.connections.create({ name: 'Kiwi', type: 'EntraID', parameters: params() });
    // Written by an older gatehouse: fullwidth name, NFC key (distinct from "kiwi"), and a second one alone.
    const colliding = '00000000-0000-4000-8000-0000000000a1';
    const alone = '00000000-0000-4000-8000-0000000000a2';
    await plantRow(colliding, 'Ｋｉｗｉ');
    await plantRow(alone, 'Ｐｅａｒ');
    await connectionNameKeysNfkcMigration.up(fx.gatehouse.store.db, fx.gatehouse.store.engine);
    const keys = await fx.gatehouse.store.db.selectFrom('connections').select(['id', 'name_key']).execute();
    const keyOf = (id: string) => keys.find((k) => k.id === id)?.name_key;
    assert.equal(keyOf(alone), nameKey('pear'), 're-keyed');
    assert.equal(keyOf(colliding), legacyNameKey('Ｋｉｗｉ'), 'not renamed, not re-keyed');
    assert.equal((await fx.gatehouse.connections.get('Ｋｉｗｉ')).name, 'Kiwi', 'NFKC names find the canonical row');
    const findings = await fx.gatehouse.connections.checkNames();
    // Exact ids: a suffix match also caught Kiwi's random id one run in 256 (its own CONNECTION_NAME_TAKEN finding).
    const problemsOf = (id: string) =>
      findings
        .filter((f) => f.id === id)
        .map((f) => f.problem)
        .sort();
    assert.deepEqual(problemsOf(colliding), ['CONNECTION_NAME_TAKEN', 'NOT_CANONICAL'], JSON.stringify(findings));
    assert.deepEqual(problemsOf(kiwi.connection.id), ['CONNECTION_NAME_TAKEN'], 'both sides of a collision');
    const cli = await fx.runCli(['connections', 'check-names', '--json']);
    assert.equal(cli.exitCode, 1, cli.stdout + cli.stderr);
    assert.ok(cli.json<{ id: string }[]>().some((f) => f.id === alone));
  });
});
