/** The UI talks to gatehouse only through its REST API; this is the one place that calls `fetch`. */
export interface ApiErrorBody {
  code: string;
  message: string;
  hint?: string;
  requestId?: string;
  details?: Record<string, unknown>;
}

export class ApiError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly status: number;
  readonly details: Record<string, unknown>;
  constructor(status: number, body: ApiErrorBody) {
    super(body.message);
    this.status = status;
    this.code = body.code;
    this.hint = body.hint;
    this.details = body.details ?? {};
  }
}

function csrfToken(): string | undefined {
  const match = /(?:^|;\s*)gh_csrf=([^;]+)/.exec(document.cookie);
  return match ? decodeURIComponent(match[1] as string) : undefined;
}

let onUnauthenticated: () => void = () => {};
/** The app shell registers what to do when the session ends (show the login page). */
export function setUnauthenticatedHandler(handler: () => void): void {
  onUnauthenticated = handler;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined) headers['content-type'] = 'application/json';
  const csrf = csrfToken();
  if (csrf && method !== 'GET') headers['x-csrf-token'] = csrf;
  const response = await fetch(`/api/v1${path}`, {
    method,
    headers,
    credentials: 'same-origin',
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await response.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!response.ok) {
    const error = (data as { error?: ApiErrorBody } | undefined)?.error ?? {
      code: `HTTP_${response.status}`,
      message: response.statusText,
    };
    if (response.status === 401 && error.code === 'AUTH_REQUIRED') onUnauthenticated();
    throw new ApiError(response.status, error);
  }
  return data as T;
}

export const get = <T>(path: string) => api<T>('GET', path);
export const post = <T>(path: string, body: unknown = {}) => api<T>('POST', path, body);
export const patch = <T>(path: string, body: unknown) => api<T>('PATCH', path, body);
export const put = <T>(path: string, body: unknown) => api<T>('PUT', path, body);
export const del = <T>(path: string) => api<T>('DELETE', path);
export const enc = encodeURIComponent;
