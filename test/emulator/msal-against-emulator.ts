import {
  ConfidentialClientApplication,
  type INetworkModule,
  type NetworkRequestOptions,
  type NetworkResponse,
} from '@azure/msal-node';

/**
 * The tests' own minimal msal setup (not gatehouse's src/entra code, so the two cannot err together): the real
 * authority is kept and a `system.networkClient` rewrites the origin to the emulator (facts A.1.7). Non-JSON bodies
 * throw, as msal's own client does.
 */
export function emulatorNetworkClient(emulatorUrl: string): INetworkModule {
  const send = async <T>(
    method: 'GET' | 'POST',
    url: string,
    options?: NetworkRequestOptions,
  ): Promise<NetworkResponse<T>> => {
    const target = new URL(url);
    const rewritten = new URL(target.pathname + target.search, emulatorUrl);
    const response = await fetch(rewritten, { method, headers: options?.headers, body: options?.body });
    const text = await response.text();
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => {
      headers[name] = value;
    });
    return { status: response.status, headers, body: JSON.parse(text) as T };
  };
  return {
    sendGetRequestAsync: (url, options) => send('GET', url, options),
    sendPostRequestAsync: (url, options) => send('POST', url, options),
  };
}

export interface MsalCredential {
  clientSecret?: string;
  clientCertificate?: { thumbprintSha256?: string; thumbprint?: string; privateKey: string };
}

/** A fresh ConfidentialClientApplication (msal caches throttles per instance, facts A.5). */
export function msalFor(
  emulatorUrl: string,
  tenant: string,
  clientId: string,
  credential: MsalCredential,
): ConfidentialClientApplication {
  return new ConfidentialClientApplication({
    auth: { clientId, authority: `https://login.microsoftonline.com/${tenant}`, ...credential },
    system: { networkClient: emulatorNetworkClient(emulatorUrl) },
  });
}

export const GRAPH_SCOPE = ['https://graph.microsoft.com/.default'];

/** Decodes a JWT payload without verification (diagnostics only). */
export function decodeJwt(token: string): Record<string, unknown> {
  const payload = token.split('.')[1] ?? '';
  return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
}
