import type { ConsentOutcome } from '../consent/consent-service.js';
import type { AppError } from '../core/errors.js';

const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)} · gatehouse</title></head><body style="font-family:system-ui,sans-serif;max-width:44rem;margin:3rem auto;line-height:1.5"><h1>${escapeHtml(title)}</h1>${body}<p><a href="/connections">Back to the connections</a></p></body></html>`;
}

/** What the administrator sees after Entra sends them back: the outcome, and the connection test that followed. */
export function consentOutcomePage(outcome: ConsentOutcome): string {
  const failed = outcome.report.checks.find((c) => c.status === 'fail');
  const test = outcome.report.ok
    ? '<p data-test="passed">The connection test passed: the new token carries the permissions.</p>'
    : `<p data-test="failed">The connection test still fails: <code>${escapeHtml(failed?.code ?? '')}</code> ${escapeHtml(failed?.message ?? '')}</p>${failed?.hint ? `<p>${escapeHtml(failed.hint)}</p>` : ''}`;
  const head = outcome.granted
    ? `<p>Admin consent was granted for connection <strong>${escapeHtml(outcome.connection)}</strong>; the audit log records it.</p>`
    : `<p>Entra reported that consent was <strong>not</strong> granted for connection <strong>${escapeHtml(outcome.connection)}</strong> (<code>${escapeHtml(outcome.error ?? '')}</code>); the audit log records it.</p>`;
  return page(outcome.granted ? 'Admin consent granted' : 'Admin consent not granted', head + test);
}

export function consentErrorPage(error: AppError): string {
  return page(
    'Admin consent could not be completed',
    `<p><code>${escapeHtml(error.code)}</code> ${escapeHtml(error.message)}</p><p>${escapeHtml(error.hint)}</p>`,
  );
}
