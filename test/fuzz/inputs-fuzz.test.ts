import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { parseParamOption } from '../../src/cli/parse-parameters.js';
import { exportConnection, importConnection } from '../../src/connections/connection-transfer.js';
import { entraIdType } from '../../src/connections/entra-id/entra-id-type.js';
import { isAppError } from '../../src/core/errors.js';
import { createPassphraseBox } from '../../src/crypto/passphrase-box.js';
import { type GatehouseFixture, startGatehouseFixture } from '../support/gatehouse-fixture.js';
import { fuzzParameters, nastyString } from './fuzz-support.js';

// Issue 12: property-based fuzzing of the EntraID validators, the export/import format and the CLI argument parser.
// Every property: no crash (only AppErrors), and no secret in what comes back. Fixed seed; FUZZ_RUNS for more.
const MARK = 'Qz7CanaryMark';
const box = createPassphraseBox({ cost: 1024 });

function expectAppErrorOnly(run: () => unknown): unknown {
  try {
    return run();
  } catch (error) {
    assert.ok(isAppError(error), `not an AppError: ${(error as Error)?.stack ?? String(error)}`);
    return error;
  }
}

describe('fuzz: EntraID parameter validators', () => {
  const context = { allowGuidSecret: false, now: new Date('2026-12-01T00:00:00Z') };
  for (const spec of entraIdType.parameters) {
    test(`${spec.key}: any string is accepted or refused with an AppError${spec.secret ? ', never echoed' : ''}`, () => {
      fc.assert(
        fc.property(nastyString, nastyString, (before, afterText) => {
          const value = spec.secret ? `${before}${MARK}${afterText}` : `${before}${afterText}`;
          const outcome = expectAppErrorOnly(() => spec.validate(value, context));
          if (spec.secret) {
            const shown = isAppError(outcome)
              ? JSON.stringify({ ...outcome.toJSON(), ui: outcome.uiHint })
              : JSON.stringify({
                  info: (outcome as { info?: unknown }).info,
                  warnings: (outcome as { warnings?: unknown }).warnings,
                });
            assert.equal(shown.includes(MARK), false, `the secret value is echoed: ${shown.slice(0, 300)}`);
          } else if (!isAppError(outcome)) {
            assert.equal(typeof (outcome as { value: unknown }).value, 'string');
          }
        }),
        fuzzParameters(300),
      );
    });
  }
  test('the key rules take any key set without crashing', () => {
    const keys = fc.uniqueArray(fc.constantFrom(...entraIdType.parameters.map((p) => p.key), 'Other'), {
      maxLength: 8,
    });
    fc.assert(
      fc.property(keys, (list) => {
        expectAppErrorOnly(() => entraIdType.validateKeys(new Set(list)));
      }),
      fuzzParameters(300),
    );
  });
});

describe('fuzz: export/import format', () => {
  let fx: GatehouseFixture;
  let exported: Record<string, unknown>;
  let secret: string;
  before(async () => {
    fx = await startGatehouseFixture();
    secret = fx.emulator.defaultApp.secretValue!;
    const connection = await fx.gatehouse.connections.get(fx.connectionName);
    exported = exportConnection(fx.gatehouse.connections, connection, {
      includeSecrets: true,
      passphrase: 'correct horse battery',
      box,
      now: new Date(),
    }) as unknown as Record<string, unknown>;
  });
  after(() => fx.close());

  // A document near the real export: fields replaced, dropped or added, parameters shuffled or mangled.
  const mutated = () =>
    fc
      .record({
        drop: fc.subarray(['format', 'formatVersion', 'name', 'type', 'parameters', 'encryptedSecrets', 'exportedAt']),
        replace: fc.dictionary(
          fc.constantFrom('format', 'formatVersion', 'name', 'type', 'parameters', 'encryptedSecrets', 'extra'),
          fc.oneof(fc.jsonValue({ maxDepth: 2 }), nastyString),
          { maxKeys: 2 },
        ),
        parameters: fc.array(
          fc.record(
            {
              key: fc.oneof(
                fc.constantFrom('TenantID', 'ClientID', 'ClientSecret', 'AuthorityHost', 'Cloud'),
                nastyString,
              ),
              value: nastyString,
              secret: fc.boolean(),
            },
            { requiredKeys: ['key'] },
          ),
          { maxLength: 5 },
        ),
        useParameters: fc.boolean(),
        name: nastyString,
      })
      .map(({ drop, replace, parameters, useParameters, name }) => {
        const doc: Record<string, unknown> = { ...exported, name: `fuzz ${name}`.slice(0, 90) };
        for (const key of drop) delete doc[key];
        Object.assign(doc, replace);
        if (useParameters) doc.parameters = parameters;
        return doc;
      });

  test('an import of any document near an export creates a connection or refuses with an AppError', async () => {
    await fc.assert(
      fc.asyncProperty(
        mutated(),
        fc.constantFrom(undefined, 'correct horse battery', 'wrong passphrase!'),
        async (doc, passphrase) => {
          try {
            const change = await importConnection(fx.gatehouse.connections, doc, {
              ...(passphrase ? { passphrase } : {}),
              box,
            });
            assert.equal(JSON.stringify(change).includes(secret), false, 'an import result shows the secret');
            await fx.gatehouse.connections.remove(change.connection.name).catch(() => undefined);
          } catch (error) {
            assert.ok(isAppError(error), `not an AppError: ${(error as Error)?.stack ?? String(error)}`);
            assert.equal(JSON.stringify(error.toJSON()).includes(secret), false, 'an import error shows the secret');
          }
        },
      ),
      fuzzParameters(150),
    );
  });
});

describe('fuzz: CLI argument parsing', () => {
  test('--param KEY=VALUE: split at the first "=", or a usage error that never shows the value', () => {
    fc.assert(
      fc.property(nastyString, fc.boolean(), nastyString, (key, withEquals, value) => {
        const text = withEquals ? `${key}=${MARK}${value}` : `${key}${MARK}${value}`;
        const outcome = expectAppErrorOnly(() => parseParamOption(text));
        if (isAppError(outcome)) {
          assert.equal(outcome.code, 'USAGE_ERROR');
          assert.equal(JSON.stringify(outcome.toJSON()).includes(MARK), false, outcome.message);
        } else {
          const { key: k, value: v } = outcome as { key: string; value: string };
          assert.equal(`${k}=${v}`, text);
          assert.ok(k.length > 0 && !k.includes('='));
        }
      }),
      fuzzParameters(500),
    );
  });

  describe('whole command lines', () => {
    let fx: GatehouseFixture;
    let secret: string;
    before(async () => {
      fx = await startGatehouseFixture();
      secret = fx.emulator.defaultApp.secretValue!;
    });
    after(() => fx.close());

    // Commands that listen until Ctrl-C (serve, emulator, demo) or change the master key are left out; connection
    // names never include the fixture's, so nothing the fuzzer writes is sent to a real network.
    const word = fc.oneof(
      fc.constantFrom('missing', 'fuzzed', '--json', '--help', '-h', '--', '--name', '--type', 'EntraID', '--param'),
      fc.constantFrom('--param-file', '--passphrase-file', '--input', '--limit', '--offset', '--role', '--admin'),
      fc.constantFrom('ClientSecret=x', `ClientSecret=${MARK}`, `=${MARK}`, 'TenantID=contoso.com', '/dev/null'),
      nastyString,
    );
    const command = fc.constantFrom(
      ['connections', 'list'],
      ['connections', 'show'],
      ['connections', 'create'],
      ['connections', 'update'],
      ['connections', 'copy'],
      ['connections', 'export'],
      ['connections', 'import'],
      ['connections', 'remove'],
      ['connections', 'types'],
      ['accounts', 'list'],
      ['accounts', 'create'],
      ['accounts', 'token', 'create'],
      ['sync', 'status'],
      ['sync', 'history'],
      ['sync', 'configure'],
      ['directory', 'users'],
      ['users', 'list'],
      ['groups', 'list'],
      ['membership', 'check'],
      ['action', 'list'],
      ['action', 'run'],
      ['nonsense'],
      [],
    );

    test('any arguments end with exit 0, 1 or 2, never print a secret, and usage errors echo no value', async () => {
      await fc.assert(
        fc.asyncProperty(command, fc.array(word, { maxLength: 6 }), async (head, rest) => {
          const result = await fx.runCli([...head, ...rest]);
          assert.ok([0, 1, 2].includes(result.exitCode), `exit ${result.exitCode}: ${result.stderr.slice(0, 500)}`);
          const printed = result.stdout + result.stderr;
          assert.equal(printed.includes(secret), false, 'the stored secret was printed');
          // A usage error never echoes a value (names in "connection 'x' does not exist" are names, not secrets).
          if (/USAGE_ERROR/.test(printed)) {
            assert.equal(printed.includes(MARK), false, `a usage error echoed a value: ${printed.slice(0, 500)}`);
          }
          assert.doesNotMatch(result.stderr, /TypeError|ReferenceError|at .+\.ts:\d+/, 'an internal error leaked');
        }),
        fuzzParameters(150),
      );
    });
  });
});
