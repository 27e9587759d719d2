import { ApiError } from './api.js';

/** An API error as the administrator needs it: what went wrong, its stable code, and what to do. */
export function ErrorMessage({ error }: { error: unknown }) {
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : undefined;
  return (
    <div className="error" role="alert">
      <strong>{apiError ? apiError.code : 'Error'}</strong>: {error instanceof Error ? error.message : String(error)}
      {apiError?.hint ? <div className="hint">{apiError.hint}</div> : null}
    </div>
  );
}
