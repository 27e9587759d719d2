import { PermissionPlanView } from './permission-plan.js';
import type { PermissionPlanView as Plan, TestReport } from './types.js';

const STATUS_LABEL = { pass: 'passed', fail: 'failed', warn: 'warning', skip: 'skipped' } as const;

/** The doctor's checks, in order, each with what to do when it did not pass. */
export function TestReportView({ report }: { report: TestReport }) {
  const plan = report.checks.find((c) => c.id === 'permissions' && c.status !== 'pass')?.details?.plan as
    | Plan
    | undefined;
  return (
    <section className="test-report" aria-label={`Test of ${report.connection}`}>
      <h3>
        Test of {report.connection}:{' '}
        <span className={report.ok ? 'ok' : 'bad'} data-testid="test-result">
          {report.ok ? 'all checks passed' : 'failed'}
        </span>
      </h3>
      <ul className="checks">
        {report.checks.map((check) => (
          <li key={check.id} className={`check ${check.status}`} data-check={check.id} data-status={check.status}>
            <span className="badge">{STATUS_LABEL[check.status]}</span> <span>{check.message}</span>
            {check.code ? <code className="code">{check.code}</code> : null}
            {check.hint && check.status !== 'pass' ? <div className="hint">{check.hint}</div> : null}
          </li>
        ))}
      </ul>
      {report.grantedRoles.length > 0 ? (
        <p className="muted">Application permissions granted: {report.grantedRoles.join(', ')}</p>
      ) : null}
      {plan ? <PermissionPlanView plan={plan} /> : null}
    </section>
  );
}
