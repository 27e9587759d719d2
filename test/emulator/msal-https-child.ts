// Child process of tls.test.ts: the real msal-node with its default network client against an https emulator,
// using a custom authority + knownAuthorities (facts A.1.4), so msal fetches the emulator's OpenID metadata itself.
// NODE_EXTRA_CA_CERTS (set by the parent) makes Node's fetch trust the emulator's self-signed certificate.
import { ConfidentialClientApplication } from '@azure/msal-node';

const [origin = '', tenant = '', clientId = '', clientSecret = ''] = process.argv.slice(2);
const cca = new ConfidentialClientApplication({
  auth: { clientId, clientSecret, authority: `${origin}/${tenant}`, knownAuthorities: [new URL(origin).host] },
});
const result = await cca.acquireTokenByClientCredential({ scopes: ['https://graph.microsoft.com/.default'] });
const claims = JSON.parse(Buffer.from(result?.accessToken.split('.')[1] ?? '', 'base64url').toString()) as {
  aud: string;
};
process.stdout.write(`${JSON.stringify({ aud: claims.aud })}\n`);
