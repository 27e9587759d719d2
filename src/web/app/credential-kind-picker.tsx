import { useId } from 'react';

/** The credential kinds of an EntraID connection (product.md 9.4): exactly one key of these is set. */
export const CREDENTIAL_KINDS = [
  {
    key: 'ClientSecret',
    label: 'Client secret',
    help: 'App registration > Certificates & secrets > Client secrets > New client secret: copy the Value (shown once), not the Secret ID. It expires (at most 2 years); gatehouse reads the date from Entra when it may.',
  },
  {
    key: 'ClientCertificate',
    label: 'Certificate',
    help: 'Upload the certificate (public part, .cer/.pem) under Certificates & secrets > Certificates; paste here one PEM with the certificate and its unencrypted private key. The thumbprint is computed for you.',
  },
  {
    key: 'ClientAssertionFile',
    label: 'Federated token file',
    help: "No secret: gatehouse reads an OIDC token from a file at every request (Kubernetes workload identity: the AZURE_FEDERATED_TOKEN_FILE path, or env:AZURE_FEDERATED_TOKEN_FILE). Add a federated credential under Certificates & secrets > Federated credentials with the token's issuer and subject, audience api://AzureADTokenExchange.",
  },
  {
    key: 'ManagedIdentity',
    label: 'Managed identity',
    help: 'No secret: on an Azure VM, App Service, Functions, Container Apps or AKS, use the host\'s identity. "system" for the system-assigned one (resource > Identity); "user" for a user-assigned one, with ClientID set to its Client ID. Grant it Graph permissions by app role assignment (the permission plan prints the commands).',
  },
] as const;

export type CredentialKey = (typeof CREDENTIAL_KINDS)[number]['key'];

export interface CredentialKindPickerProps {
  /** The parameter keys in the form now (any case). */
  keys: readonly string[];
  /** Makes `key` the connection's only credential row. */
  onChoose: (key: CredentialKey) => void;
  disabled?: boolean;
}

/** "How does gatehouse prove who it is?": one choice of four, each with where to find or set it up. */
export function CredentialKindPicker({ keys, onChoose, disabled }: CredentialKindPickerProps) {
  const id = useId();
  const present = new Set(keys.map((k) => k.trim().toLowerCase()));
  const chosen = CREDENTIAL_KINDS.find((kind) => present.has(kind.key.toLowerCase()));
  return (
    <fieldset className="credential-kinds" aria-describedby={`${id}-help`}>
      <legend>Credential</legend>
      <div className="credential-kind-options">
        {CREDENTIAL_KINDS.map((kind) => (
          <label key={kind.key} className="credential-kind">
            <input
              type="radio"
              name={`${id}-kind`}
              value={kind.key}
              checked={chosen?.key === kind.key}
              disabled={disabled}
              onChange={() => onChoose(kind.key)}
            />{' '}
            {kind.label}
          </label>
        ))}
      </div>
      <p id={`${id}-help`} className="credential-help muted" data-kind={chosen?.key ?? ''}>
        {chosen
          ? chosen.help
          : 'Choose how gatehouse proves it is your app. A managed identity or a federated token file need no secret at all.'}
      </p>
    </fieldset>
  );
}
