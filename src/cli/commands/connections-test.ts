import { type Command, Option } from 'commander';
import { AppError } from '../../core/errors.js';
import { CAPABILITY_NAMES, type CapabilityName } from '../../doctor/capabilities.js';
import { renderDoctorText } from '../../doctor/doctor-report.js';
import type { CliContext } from '../cli-context.js';

/**
 * `gatehouse connections test NAME [--require CAPABILITY ...] [--json]`: runs the connection doctor. Exit 0 when
 * no check failed, 1 when one did (the report is still printed: a failed test is a result, not a crash).
 */
export function registerConnectionTestCommand(connections: Command, ctx: CliContext): void {
  connections
    .command('test')
    .description('test a connection: parameters, token, granted permissions per capability, one Graph read each')
    .argument('<name>', 'connection name')
    .addOption(
      new Option(
        '--require <capability...>',
        `capabilities that must work; missing permissions for them fail the test (${CAPABILITY_NAMES.join(', ')})`,
      ),
    )
    .action(async (name: string, options: { require?: string[] }) => {
      const required = parseCapabilities(options.require ?? []);
      const gatehouse = await ctx.gatehouse();
      const report = await gatehouse.doctor.test(name, { require: required });
      ctx.output().result(report, () => renderDoctorText(report));
      ctx.setExitCode(report.ok ? 0 : 1);
    });
}

export function parseCapabilities(values: readonly string[]): CapabilityName[] {
  const names = values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
  const unknown = names.filter((name) => !(CAPABILITY_NAMES as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new AppError('USAGE_ERROR', {
      message: `Unknown capability ${unknown.join(', ')}.`,
      hint: `Use one of ${CAPABILITY_NAMES.join(', ')}.`,
      details: { unknown },
    });
  }
  return names as CapabilityName[];
}
