import { useEffect, useRef } from 'react';
import { localTime, withLocalTimes } from './local-time.js';
import { PermissionPlanView } from './permission-plan.js';
import type { PermissionPlan as Plan, TestReport } from './types.js';

const STATUS_LABEL = { pass: 'passed', fail: 'failed', warn: 'warning', skip: 'skipped' } as const;

/** The doctor's checks by name (issue 16 item 8: "Skipped: no token." twice said nothing about which check). */
const CHECK_NAMES: Record<string, string> = {
  parameters: 'Parameters',
  token: 'Token from Entra ID',
  permissions: 'Application permissions',
  graph: 'Microsoft Graph',
  expiry: 'Secret or certificate expiry',
};

/**
 * The doctor's checks, in order, each named, with what to do when it did not pass; times in local time. Scrolled
 * into view when it arrives, so the answer to "Test" is never below the fold.
 */
export function TestReportView({
  report,
  saveFirst,
}: {
  report: TestReport;
  /** Given for a draft's report: the consent link saves the draft before the round trip (see PermissionPlanView). */
  saveFirst?: () => Promise<string | undefined>;
}) {
  const plan = report.checks.find((c) => c.id === 'permissions' && c.status !== 'pass')?.details?.plan as
    | Plan
    | undefined;
  const ref = useRef<HTMLElement>(null);
  useEffect(() => {
    ref.current?.scrollIntoView?.({ block: 'nearest', behavior: 'smooth' });
  }, []);
  return (
    <section ref={ref} className="test-report" aria-label={`Test of ${report.connection}`} data-testid="test-report">
      <h3>
        Test of {report.connection}:{' '}
        <span className={report.ok ? 'ok' : 'bad'} data-testid="test-result">
          {report.ok ? 'all checks passed' : 'failed'}
        </span>
        {report.testedAt ? <span className="muted"> ({localTime(report.testedAt)})</span> : null}
      </h3>
      <ul className="checks">
        {report.checks.map((check) => (
          <li key={check.id} className={`check ${check.status}`} data-check={check.id} data-status={check.status}>
            <span className="badge">{STATUS_LABEL[check.status]}</span>{' '}
            <span>
              <strong className="check-name">{CHECK_NAMES[check.id] ?? check.id}</strong>:{' '}
              {withLocalTimes(check.message)}
            </span>
            {check.hint && check.status !== 'pass' ? <div className="hint">{check.hint}</div> : null}
            {check.code ? <code className="code">{check.code}</code> : null}
          </li>
        ))}
      </ul>
      {report.tokenExpiresAt ? (
        <p className="muted">The token obtained by the test expires {localTime(report.tokenExpiresAt)}.</p>
      ) : null}
      {report.grantedRoles.length > 0 ? (
        <p className="muted">Application permissions granted: {report.grantedRoles.join(', ')}</p>
      ) : null}
      {plan ? <PermissionPlanView plan={plan} {...(saveFirst ? { saveFirst } : {})} /> : null}
    </section>
  );
}
