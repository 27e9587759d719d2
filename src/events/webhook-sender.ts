import { Agent as HttpAgent, request as httpRequest } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
import { Webhook } from 'standardwebhooks';

const httpAgent = new HttpAgent({ keepAlive: true, maxSockets: 16 });
const httpsAgent = new HttpsAgent({ keepAlive: true, maxSockets: 16 });

export const DELIVERY_TIMEOUT_MS = 10_000;

/** Signers by secret (decoding the key costs twice the signature itself); a few webhooks, so a small map. */
const signers = new Map<string, Webhook>();
function signerFor(secret: string): Webhook {
  let signer = signers.get(secret);
  if (!signer) {
    if (signers.size >= 256) signers.clear();
    signer = new Webhook(secret);
    signers.set(secret, signer);
  }
  return signer;
}

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
  options: { timeoutMs?: number } = {},
): Promise<SendResult> {
  const first = await sendOnce(url, secret, message, options);
  // A kept-alive connection the receiver closed meanwhile fails at once: that is no answer, so send again on a new one.
  const { staleSocket, ...result } = first.staleSocket ? await sendOnce(url, secret, message, options) : first;
  return result;
}

async function sendOnce(
  url: string,
  secret: string,
  message: { id: string; body: string; timestamp: Date },
  options: { timeoutMs?: number },
): Promise<SendResult & { staleSocket?: boolean }> {
  const signature = signerFor(secret).sign(message.id, message.timestamp, message.body);
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const started = performance.now();
  const latency = () => Math.round(performance.now() - started);
  const target = new URL(url);
  const secure = target.protocol === 'https:';
  // node:http(s) with keep-alive agents rather than fetch: about three times the deliveries per second on loopback
  // (BENCHMARKS.md "Events"), and it never follows redirects.
  const send = secure ? httpsRequest : httpRequest;
  return new Promise<SendResult & { staleSocket?: boolean }>((resolve) => {
    let settled = false;
    const finish = (result: SendResult & { staleSocket?: boolean }) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const request = send(
      target,
      {
        method: 'POST',
        agent: secure ? httpsAgent : httpAgent,
        signal: AbortSignal.timeout(timeoutMs),
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(message.body),
          'user-agent': 'gatehouse-webhooks/1',
          'webhook-id': message.id,
          'webhook-timestamp': String(Math.floor(message.timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
      },
      (response) => {
        // The answer's body is read (and dropped) so the connection can be reused.
        response.resume();
        response.on('error', () => undefined);
        response.on('end', () => {
          const status = response.statusCode ?? 0;
          const ms = latency();
          if (status >= 200 && status < 300) return finish({ ok: true, status, latencyMs: ms });
          if (status >= 300 && status < 400) {
            const location = response.headers.location;
            return finish({
              ok: false,
              status,
              error: `redirect not followed${location ? ` (to ${location.slice(0, 200)})` : ''}`,
              latencyMs: ms,
            });
          }
          finish({ ok: false, status, error: `HTTP ${status}`, latencyMs: ms });
        });
      },
    );
    request.on('error', (error: Error & { code?: string }) => {
      const ms = latency();
      if (error.name === 'AbortError' || error.name === 'TimeoutError') {
        return finish({ ok: false, error: `timeout after ${timeoutMs} ms`, latencyMs: ms });
      }
      if (request.reusedSocket && (error.code === 'ECONNRESET' || error.code === 'EPIPE')) {
        return finish({ ok: false, error: 'connection closed by the receiver', latencyMs: ms, staleSocket: true });
      }
      const tls = /CERT|SSL|TLS/i.test(error.code ?? '') ? 'TLS error' : 'unreachable';
      finish({ ok: false, error: `${tls}: ${String(error.code ?? error.message).slice(0, 200)}`, latencyMs: ms });
    });
    request.end(message.body);
  });
}
