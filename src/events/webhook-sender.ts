import { Webhook } from 'standardwebhooks';

export const DELIVERY_TIMEOUT_MS = 10_000;

export interface SendResult {
  ok: boolean;
  /** HTTP status of the answer (absent when none came). */
  status?: number;
  /** Why it failed, for the delivery log (never the secret, never the body we sent). */
  error?: string;
  latencyMs: number;
}

/**
 * Sends one Standard Webhooks message: `webhook-id`, `webhook-timestamp` and `webhook-signature` (v1, HMAC-SHA256 of
 * `id.timestamp.body` with the `whsec_` secret). 2xx is success; redirects are not followed (a 3xx fails, with its
 * Location named); 10 s without an answer is a timeout.
 */
export async function sendWebhook(
  url: string,
  secret: string,
  message: { id: string; body: string; timestamp: Date },
  options: { timeoutMs?: number; fetch?: typeof fetch } = {},
): Promise<SendResult> {
  const signature = new Webhook(secret).sign(message.id, message.timestamp, message.body);
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  try {
    const response = await (options.fetch ?? fetch)(url, {
      method: 'POST',
      redirect: 'manual',
      signal: AbortSignal.timeout(options.timeoutMs ?? DELIVERY_TIMEOUT_MS),
      headers: {
        'content-type': 'application/json',
        'user-agent': 'gatehouse-webhooks/1',
        'webhook-id': message.id,
        'webhook-timestamp': String(Math.floor(message.timestamp.getTime() / 1000)),
        'webhook-signature': signature,
      },
      body: message.body,
    });
    // The answer's body is read (and dropped) so the connection can be reused.
    await response.arrayBuffer().catch(() => undefined);
    const ms = latency();
    if (response.status >= 200 && response.status < 300) return { ok: true, status: response.status, latencyMs: ms };
    if (response.status >= 300 && response.status < 400) {
      const location = response.headers.get('location');
      return {
        ok: false,
        status: response.status,
        error: `redirect not followed${location ? ` (to ${location.slice(0, 200)})` : ''}`,
        latencyMs: ms,
      };
    }
    return { ok: false, status: response.status, error: `HTTP ${response.status}`, latencyMs: ms };
  } catch (error) {
    const ms = latency();
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return { ok: false, error: `timeout after ${options.timeoutMs ?? DELIVERY_TIMEOUT_MS} ms`, latencyMs: ms };
    }
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const reason = cause?.code ?? cause?.message ?? (error as Error).message;
    return { ok: false, error: `unreachable: ${String(reason).slice(0, 200)}`, latencyMs: ms };
  }
}
