import { AadstsError } from './aadsts-error.js';

const WIF_DOC = 'https://docs.microsoft.com/en-us/azure/active-directory/develop/workload-identity-federation';
const CHECK = `Please check your federated identity credential Subject, Audience and Issuer against the presented assertion. ${WIF_DOC}`;

/**
 * Entra's answers to a federated token that does not fit (facts H.1). The wording is what administrators have
 * reported (Azure/azure-workload-identity#340, #616, #1200, #1232, #1130; Azure/login#517).
 */
export const federationAadsts = {
  noMatch: (issuer: string, subject: string, audience: string) =>
    new AadstsError(
      400,
      'invalid_request',
      70021,
      `No matching federated identity record found for presented assertion. Assertion Issuer: '${issuer}'. Assertion Subject: '${subject}'. Assertion Audience: '${audience}'. ${WIF_DOC}`,
    ),
  issuerMismatch: (issuer: string) =>
    new AadstsError(
      401,
      'invalid_client',
      700211,
      `No matching federated identity record found for presented assertion issuer '${issuer}'. ${CHECK}`,
    ),
  audienceMismatch: (audience: string) =>
    new AadstsError(
      401,
      'invalid_client',
      700212,
      `No matching federated identity record found for presented assertion audience '${audience}'. ${CHECK}`,
    ),
  subjectMismatch: (subject: string) =>
    new AadstsError(
      401,
      'invalid_client',
      700213,
      `No matching federated identity record found for presented assertion subject '${subject}'. ${CHECK}`,
    ),
  notConfigured: (clientId: string, displayName: string) =>
    new AadstsError(
      401,
      'invalid_client',
      70025,
      `The client '${clientId}'(${displayName}) has no configured federated identity credentials.`,
    ),
  entraIssued: () =>
    new AadstsError(401, 'invalid_client', 700222, 'AAD-issued tokens may not be used for federated identity flows.'),
  issuerUnreachable: () => new AadstsError(400, 'invalid_request', 50166, 'Request to External OIDC endpoint failed.'),
  keyNotFound: (keyId: string, issuer: string) =>
    new AadstsError(
      401,
      'invalid_client',
      7000272,
      `The certificate with identifier ${keyId} used to sign the federated credential could not be found in the metadata of identity provider ${issuer}. Please validate that your Identity Provider's metadata exposes the key used to sign the incoming token.`,
    ),
};
