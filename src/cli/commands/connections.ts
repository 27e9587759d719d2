import type { Command } from 'commander';
import type { ChangedBy } from '../../connections/connection-service.js';
import { exportConnection, importConnection } from '../../connections/connection-transfer.js';
import { BUILT_IN_CONNECTION_TYPES } from '../../connections/connection-types.js';
import { toConnectionView } from '../../connections/connection-view.js';
import { AppError, isAppError } from '../../core/errors.js';
import { createPassphraseBox } from '../../crypto/passphrase-box.js';
import type { CliContext } from '../cli-context.js';
import { formatTable } from '../output.js';
import { changeJson, changeText, connectionListText, connectionText } from '../output-connection.js';
import { collect, parseParamFileOption, parseParamOption, readPassphraseFile } from '../parse-parameters.js';
import { MAX_DOCUMENT_FILE_BYTES, readBoundedFile } from '../read-bounded.js';
import { shownPath } from '../shown-value.js';
import { cliActor } from './action.js';

interface ParamOptions {
  param?: string[];
  paramFile?: string[];
  allowGuidSecret?: boolean;
}

function parameterInputs(options: ParamOptions, ctx: CliContext) {
  return [
    ...(options.param ?? []).map(parseParamOption),
    ...(options.paramFile ?? []).map((p) => parseParamFileOption(p, ctx.resolvePath)),
  ];
}

function withParamOptions(command: Command): Command {
  return command
    .option('--param <KEY=VALUE>', 'a parameter (repeatable; keys are matched regardless of case)', collect)
    .option(
      '--param-file <KEY=PATH>',
      'a parameter whose value is the content of a file, e.g. a PEM (repeatable)',
      collect,
    )
    .option('--allow-guid-secret', 'accept a GUID-shaped ClientSecret (normally a pasted Secret ID)');
}

/** `typed` is the path as given (what messages show); `path` the resolved one. */
function readJsonFile(path: string, typed = path): unknown {
  let text: string;
  try {
    text = readBoundedFile(path, MAX_DOCUMENT_FILE_BYTES, shownPath(typed));
  } catch (cause) {
    if (isAppError(cause)) throw cause;
    throw new AppError('USAGE_ERROR', { message: `Cannot read ${shownPath(typed)}.`, cause, hint: 'Check the path.' });
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    throw new AppError('CONNECTION_IMPORT_INVALID', { message: `${shownPath(typed)} is not JSON.`, cause });
  }
}

/** `gatehouse connections …` (product.md section 4). Returns the group so others can add subcommands (`test`). */
export function registerConnectionCommands(program: Command, ctx: CliContext): Command {
  const group = program.command('connections').description('create, show, change, copy, export and import connections');

  withParamOptions(group.command('create').description('create a connection'))
    .requiredOption('--name <name>', 'connection name (1–100 characters, unique regardless of case)')
    .requiredOption('--type <type>', 'connection type, e.g. EntraID (see `connections types`)')
    .action(async (options: ParamOptions & { name: string; type: string }) => {
      const gatehouse = await ctx.gatehouse();
      const change = await gatehouse.connections.create(
        {
          name: options.name,
          type: options.type,
          parameters: parameterInputs(options, ctx),
          allowGuidSecret: options.allowGuidSecret,
        },
        changedBy(ctx),
      );
      ctx.output().result(changeJson(change), () => changeText('Created', change));
    });

  withParamOptions(group.command('update').description('change parameters or the name; unnamed parameters are kept'))
    .argument('<name>', 'connection name or id')
    .option('--unset <KEY>', 'remove a parameter (repeatable)', collect)
    .option('--rename <new>', 'new name')
    .option('--expected-version <n>', 'refuse unless the connection is still at this version', (v) =>
      Number.parseInt(v, 10),
    )
    .action(
      async (name: string, options: ParamOptions & { unset?: string[]; rename?: string; expectedVersion?: number }) => {
        const gatehouse = await ctx.gatehouse();
        const change = await gatehouse.connections.update(
          name,
          {
            set: parameterInputs(options, ctx),
            unset: options.unset,
            rename: options.rename,
            expectedVersion: options.expectedVersion,
            allowGuidSecret: options.allowGuidSecret,
          },
          changedBy(ctx),
        );
        ctx.output().result(changeJson(change), () => changeText('Updated', change));
      },
    );

  group
    .command('list')
    .description('list connections')
    .action(async () => {
      const connections = await (await ctx.gatehouse()).connections.list();
      ctx.output().result(connections.map(toConnectionView), () => connectionListText(connections));
    });

  group
    .command('check-names')
    .description('report stored names the name rules refuse or that read like another (exit 1 when any)')
    .action(async () => {
      const findings = await (await ctx.gatehouse()).connections.checkNames();
      if (findings.length > 0) ctx.setExitCode(1);
      ctx
        .output()
        .result(findings, () =>
          findings.length === 0
            ? 'Every connection name follows the name rules.'
            : [
                'These names need renaming (`gatehouse connections update ID --rename NEW`):',
                ...findings.map((f) => `  ${f.id}  ${JSON.stringify(f.name)}  ${f.problem}`),
              ].join('\n'),
        );
    });

  group
    .command('show')
    .description('show a connection (secrets only as set/when/fingerprint)')
    .argument('<name>', 'connection name or id')
    .action(async (name: string) => {
      const connection = await (await ctx.gatehouse()).connections.get(name);
      ctx.output().result(toConnectionView(connection), () => connectionText(connection));
    });

  group
    .command('remove')
    .description('remove a connection')
    .argument('<name>', 'connection name or id')
    .action(async (name: string) => {
      const removed = await (await ctx.gatehouse()).connections.remove(name, changedBy(ctx));
      ctx
        .output()
        .result({ removed: true, id: removed.id, name: removed.name }, () => `Removed connection '${removed.name}'.`);
    });

  group
    .command('copy')
    .description('duplicate a connection under a new name (secrets included, re-encrypted)')
    .argument('<name>', 'connection to copy')
    .argument('<newName>', 'name of the copy')
    .action(async (name: string, newName: string) => {
      const change = await (await ctx.gatehouse()).connections.copy(name, newName, changedBy(ctx));
      ctx.output().result(changeJson(change), () => changeText(`Copied '${name}' to`, change));
    });

  group
    .command('export')
    .description('print a connection as JSON (secrets left out unless --include-secrets)')
    .argument('<name>', 'connection name or id')
    .option('--include-secrets', 'include secret values, encrypted with the passphrase')
    .option('--passphrase-file <file>', 'file holding the passphrase (at least 8 characters)')
    .action(async (name: string, options: { includeSecrets?: boolean; passphraseFile?: string }) => {
      if (options.includeSecrets && !options.passphraseFile) throw new AppError('CONNECTION_PASSPHRASE_REQUIRED');
      const gatehouse = await ctx.gatehouse();
      const doc = await exportConnection(gatehouse.connections, await gatehouse.connections.get(name), {
        includeSecrets: options.includeSecrets,
        passphrase: options.passphraseFile ? readPassphraseFile(options.passphraseFile, ctx.resolvePath) : undefined,
        box: createPassphraseBox(),
        now: gatehouse.clock.now(),
      });
      // The export is JSON in both modes: it is meant to be redirected into a file.
      ctx.io.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    });

  withParamOptions(group.command('import').description('create a connection from an export or a sample file'))
    .argument('<file>', 'JSON file written by `connections export` (or examples/ms-entraid.sample.json)')
    .option('--name <name>', 'import under this name')
    .option('--passphrase-file <file>', 'passphrase of an export made with --include-secrets')
    .action(async (file: string, options: ParamOptions & { name?: string; passphraseFile?: string }) => {
      const json = readJsonFile(ctx.resolvePath(file), file);
      const gatehouse = await ctx.gatehouse();
      const change = await importConnection(gatehouse.connections, json, {
        name: options.name,
        passphrase: options.passphraseFile ? readPassphraseFile(options.passphraseFile, ctx.resolvePath) : undefined,
        parameters: parameterInputs(options, ctx),
        allowGuidSecret: options.allowGuidSecret,
        box: createPassphraseBox(),
        by: changedBy(ctx),
      });
      ctx.output().result(changeJson(change), () => changeText('Imported', change));
    });

  group
    .command('types')
    .description('list connection types with their parameters and where to find each value')
    .action(async () => {
      const types = BUILT_IN_CONNECTION_TYPES.map((t) => ({
        name: t.name,
        description: t.description,
        parameters: t.parameters.map((p) => ({
          key: p.key,
          label: p.label,
          required: p.required,
          secret: p.secret,
          hint: p.hint,
        })),
      }));
      ctx
        .output()
        .result(types, () =>
          types.flatMap((t) => [
            `${t.name}: ${t.description}`,
            formatTable([
              ['  KEY', 'LABEL', 'REQUIRED', 'SECRET', 'WHERE TO FIND IT'],
              ...t.parameters.map((p) => [
                `  ${p.key}`,
                p.label,
                p.required ? 'yes' : 'no',
                p.secret ? 'yes' : 'no',
                p.hint,
              ]),
            ]),
          ]),
        );
    });

  return group;
}

/** The CLI's actor for the audit log of connection changes (the OS user on this host). */
function changedBy(ctx: CliContext): ChangedBy {
  const actor = cliActor(ctx);
  return { actor: actor.name, origin: actor.origin };
}
