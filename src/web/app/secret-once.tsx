import { useState } from 'react';

/** A password or token shown this once, selectable, with a Copy button (issue 16 item 11). */
export function SecretOnce({ label, value }: { label: string; value: string }) {
  const [copied, setCopied] = useState<'yes' | 'no' | undefined>();
  async function copy() {
    try {
      await navigator.clipboard.writeText(value);
      setCopied('yes');
    } catch {
      // Clipboard access needs a secure context (https or localhost); the value stays selectable.
      setCopied('no');
    }
  }
  return (
    <div className="note" role="status" data-testid="secret-once">
      <div>{label} (shown once; copy it now):</div>
      <div className="secret-reveal">
        <code data-testid="secret-value">{value}</code>
        <button type="button" onClick={copy}>
          Copy
        </button>
        {copied === 'yes' ? <span className="ok">Copied.</span> : null}
        {copied === 'no' ? <span className="muted">Copying is blocked here: select the text and copy it.</span> : null}
      </div>
    </div>
  );
}
