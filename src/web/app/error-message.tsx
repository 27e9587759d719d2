import { ApiError } from './api.js';

/**
 * An API error as the administrator needs it: what went wrong in words first, then what to do, and the stable code
 * last, as a detail to quote or search for (issue 16 item 6).
 */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : undefined;
  return (
    <div className="error" role="alert">
      <div className="message">{error instanceof Error ? error.message : String(error)}</div>
      {apiError?.hint ? <div className="hint">{apiError.hint}</div> : null}
      {apiError ? <code className="code">Code: {apiError.code}</code> : null}
    </div>
  );
}
