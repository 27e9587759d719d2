import { useState } from 'react';
import { ApiError, enc, post } from './api.js';
import type { PermissionPlan } from './types.js';

/** A copy-to-clipboard button; says "Copied" for a moment (or why it could not). */
function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<'' | 'copied' | 'failed'>('');
  async function copy() {
    try {
      await navigator.clipboard.writeText(text);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState(''), 2000);
  }
  return (
    <button type="button" className="copy" aria-label={label} onClick={copy}>
      {state === 'copied' ? 'Copied' : state === 'failed' ? 'Select and copy' : 'Copy'}
    </button>
  );
}

function Block({ title, text }: { title: string; text: string }) {
  return (
    <div className="plan-block">
      <div className="plan-block-head">
        <span>{title}</span> <CopyButton text={text} label={`Copy ${title}`} />
      </div>
      <pre>{text}</pre>
    </div>
  );
}

/**
 * The permission plan a failing permissions check carries (product.md 9.3): what to add, with ids, the manifest,
 * the az and PowerShell commands (each with a copy button), and a link that opens the admin-consent page. When the
 * server has a public URL, the link starts the round trip (gatehouse checks the callback and re-tests).
 */
export function PermissionPlanView({
  plan,
  saveFirst,
}: {
  plan: PermissionPlan;
  /**
   * For a plan that came from testing an unsaved draft (the connection dialog): saves the draft and returns the saved
   * connection's name, since the consent round trip re-tests a stored connection; `undefined` when saving failed (the
   * dialog shows why).
   */
  saveFirst?: () => Promise<string | undefined>;
}) {
  const [error, setError] = useState<string>();
  const roundTrip = plan.adminConsentUrl?.includes('/v2.0/adminconsent') ?? false;
  async function openConsent(event: React.MouseEvent<HTMLAnchorElement>) {
    if (!roundTrip) return;
    event.preventDefault();
    const opened = window.open('', '_blank');
    try {
      const connection = saveFirst ? await saveFirst() : plan.connection;
      if (connection === undefined) {
        opened?.close();
        return;
      }
      const { url } = await post<{ url: string }>(`/connections/${enc(connection)}/consent`);
      if (opened) opened.location.href = url;
      else window.location.href = url;
    } catch (caught) {
      opened?.close();
      setError(caught instanceof ApiError ? `${caught.code}: ${caught.message}` : String(caught));
    }
  }
  return (
    <section className="permission-plan" aria-label="Permission plan">
      <h4>Application permissions to add (Microsoft Graph)</h4>
      <table>
        <thead>
          <tr>
            <th>Permission</th>
            <th>Id</th>
            <th>For</th>
            <th>Granted</th>
          </tr>
        </thead>
        <tbody>
          {plan.permissions.map((p) => (
            <tr key={p.id} data-permission={p.value} className={p.granted ? 'granted' : 'missing'}>
              <td>{p.value}</td>
              <td>
                <code>{p.id}</code>
              </td>
              <td>{p.neededBy.join(', ')}</td>
              <td>{p.granted ? 'yes' : 'no'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {plan.adminConsentUrl ? (
        <p>
          <a
            className="consent-link"
            href={plan.adminConsentUrl}
            target="_blank"
            rel="noopener noreferrer"
            onClick={openConsent}
          >
            Open the admin consent page
          </a>{' '}
          <span className="muted">
            (a Privileged Role Administrator or Global Administrator signs in
            {roundTrip ? '; gatehouse re-tests when Entra sends you back' : '; then test again'}
            {roundTrip && saveFirst ? '; the connection is saved first' : ''})
          </span>
        </p>
      ) : (
        <p className="muted">A managed identity has no consent page: assign the permissions with the commands below.</p>
      )}
      {error ? <p className="error">{error}</p> : null}
      <Block
        title="App manifest (requiredResourceAccess)"
        text={JSON.stringify(plan.requiredResourceAccess, null, 2)}
      />
      <Block title="Azure CLI" text={plan.commands.azureCli.join('\n')} />
      <Block title="Microsoft Graph PowerShell" text={plan.commands.powershell.join('\n')} />
    </section>
  );
}
