/**
 * Every error code gatehouse can produce, declared once: HTTP status (REST API), CLI exit code (2 = bad usage or
 * invalid input, 1 = the operation failed), a default message and the hint that tells the administrator what to do.
 * `docs/errors.md` is generated from this table (`npm run docs`) and a test fails when the two differ.
 *
 * Codes are a contract (product.md section 5): add new ones, never rename or remove one.
 */
export interface ErrorSpec {
  /** HTTP status the REST API answers with. */
  readonly status: number;
  /** CLI exit code: 2 for bad usage or invalid input, 1 when the operation itself failed. */
  readonly exit: 1 | 2;
  /** Default message, used when the thrower gives none. Real throwers name the thing (connection, user, group). */
  readonly message: string;
  /** What to do about it, in the CLI's words (commands and flags) where it names a step. */
  readonly hint: string;
  /**
   * The same advice for the web console and REST callers, when `hint` speaks of CLI commands or flags: pages and
   * buttons, or the request field. Absent = `hint` is already neutral and serves every surface.
   */
  readonly uiHint?: string;
}

const PORTAL_OVERVIEW = 'Azure portal > Microsoft Entra ID > App registrations > your app > Overview';
const PORTAL_SECRETS = 'Azure portal > Microsoft Entra ID > App registrations > your app > Certificates & secrets';
const PORTAL_PERMISSIONS = 'Azure portal > Microsoft Entra ID > App registrations > your app > API permissions';

export const ERROR_CATALOGUE = {
  // --- connections -------------------------------------------------------------------------------------------
  CONNECTION_NOT_FOUND: {
    status: 404,
    exit: 2,
    message: 'No connection with that name exists.',
    hint: 'Run `gatehouse connections list` to see the connection names.',
    uiHint: 'The Connections page (or GET /api/v1/connections) lists the connection names.',
  },
  CONNECTION_NAME_TAKEN: {
    status: 409,
    exit: 2,
    message: 'A connection with that name already exists.',
    hint: 'Names are unique regardless of case. Choose another name, or update the existing connection.',
  },
  CONNECTION_INVALID_NAME: {
    status: 400,
    exit: 2,
    message: 'The connection name is not valid.',
    hint: 'A name is 1 to 100 characters after trimming, with no control characters.',
  },
  CONNECTION_UNKNOWN_TYPE: {
    status: 400,
    exit: 2,
    message: 'Unknown connection type.',
    hint: 'Use one of the registered connection types, for example `EntraID`.',
  },
  CONNECTION_MISSING_PARAMETER: {
    status: 400,
    exit: 2,
    message: 'A required parameter is missing.',
    hint: 'Add the parameter with `--param KEY=VALUE`; `gatehouse connections types` lists each key and where to find it in the Azure portal.',
    uiHint:
      'Add a row for the parameter with (+); the hint under each key says where to find its value in the Azure portal.',
  },
  CONNECTION_UNKNOWN_PARAMETER: {
    status: 400,
    exit: 2,
    message: 'Unknown parameter key.',
    hint: 'Use only the keys the connection type declares (the error lists them). Keys are matched regardless of case.',
  },
  CONNECTION_DUPLICATE_PARAMETER: {
    status: 400,
    exit: 2,
    message: 'A parameter key was given more than once.',
    hint: 'Give each key once (keys are matched regardless of case, so TenantID and tenantid are the same key).',
  },
  CONNECTION_INVALID_PARAMETER: {
    status: 400,
    exit: 2,
    message: 'A parameter value is not valid.',
    hint: 'Correct the value as the message describes; the hint for each key says where to find it in the Azure portal.',
  },
  CONNECTION_PLACEHOLDER_VALUE: {
    status: 400,
    exit: 2,
    message: 'A parameter still holds a placeholder value.',
    hint: `Replace the placeholders with your app registration's values (${PORTAL_OVERVIEW}; the secret Value under Certificates & secrets).`,
  },
  CONNECTION_SECRET_LOOKS_LIKE_SECRET_ID: {
    status: 400,
    exit: 2,
    message: 'The ClientSecret looks like a Secret ID (a GUID), not a secret Value.',
    hint: `You pasted the Secret ID; copy the Value column under Certificates & secrets (${PORTAL_SECRETS}). The Value is shown only right after the secret is created; if it is hidden, create a new secret. Use --allow-guid-secret only if your secret really is a GUID.`,
    uiHint: `You pasted the Secret ID; copy the Value column under Certificates & secrets (${PORTAL_SECRETS}). The Value is shown only right after the secret is created; if it is hidden, create a new secret. Only if your secret really is a GUID, confirm it ("My secret Value really is a GUID" in the dialog, allowGuidSecret: true over REST).`,
  },
  CONNECTION_VERSION_CONFLICT: {
    status: 409,
    exit: 1,
    message: 'The connection was changed by someone else since it was read.',
    hint: 'Read the connection again and repeat the change.',
  },
  CONNECTION_IMPORT_INVALID: {
    status: 400,
    exit: 2,
    message: 'The import file is not a gatehouse connection export.',
    hint: 'Import a file written by `gatehouse connections export` or shaped like examples/ms-entraid.sample.json.',
    uiHint:
      'Import a file written by Export on the Connections page (or `connections export`), or shaped like examples/ms-entraid.sample.json.',
  },
  CONNECTION_PASSPHRASE_REQUIRED: {
    status: 400,
    exit: 2,
    message: 'A passphrase is needed.',
    hint: 'Exporting secrets needs --include-secrets with --passphrase-file; importing an export with secrets needs the same --passphrase-file.',
    uiHint:
      'This export carries sealed secrets: send the passphrase it was sealed with (passphrase), or import an export without secrets and give the secret values when asked.',
  },
  CONNECTION_PASSPHRASE_WRONG: {
    status: 400,
    exit: 2,
    message: 'The passphrase does not decrypt the secrets in this export.',
    hint: 'Use the passphrase file that was given to `connections export`.',
    uiHint: 'Send the passphrase the export was sealed with.',
  },
  CONNECTION_SECRET_REQUIRED: {
    status: 409,
    exit: 1,
    message: "The connection's stored secret was entered for other hosts (or another connection) and is not sent here.",
    hint: 'enter the secret again: it is only sent to the hosts it was entered for. Run `gatehouse connections update NAME --param-file ClientSecret=FILE` (or ClientCertificate) after changing AuthorityHost, GraphEndpoint or Cloud.',
    uiHint:
      'enter the secret again: it is only sent to the hosts it was entered for. Edit the connection and type the ClientSecret (or paste the ClientCertificate) again.',
  },
  CONNECTION_ENDPOINT_NOT_ALLOWED: {
    status: 400,
    exit: 2,
    message: "AuthorityHost or GraphEndpoint names a host that is not one of Microsoft's clouds nor loopback.",
    hint: "Leave AuthorityHost and GraphEndpoint unset for Microsoft's clouds (set Cloud instead). A private cloud's hosts must be allowed by whoever runs the server: GATEHOUSE_ALLOWED_ENDPOINT_HOSTS=login.example.com,graph.example.com.",
  },
  CONNECTION_NAME_LOOKS_LIKE_ID: {
    status: 400,
    exit: 2,
    message: 'The connection name is shaped like a connection id (a UUID).',
    hint: 'Choose a name that is not a UUID: ids and names share one lookup, and ids always win.',
  },
  CONNECTION_NAME_UNSAFE_CHARACTER: {
    status: 400,
    exit: 2,
    message: 'The connection name contains an invisible, control, separator or non-ASCII space character.',
    hint: 'Type the name again with visible characters and plain spaces only (no zero-width, right-to-left override, line separator or no-break space characters).',
  },
  CONNECTION_PASSPHRASE_TOO_SHORT: {
    status: 400,
    exit: 2,
    message: 'The passphrase is too short.',
    hint: 'Use a passphrase of at least 12 characters (a few random words) in the --passphrase-file to seal an export; an export made earlier opens with its own passphrase of at least 8.',
    uiHint: 'Send the passphrase the export was sealed with (at least 8 characters).',
  },
  // --- keys ------------------------------------------------------------------------------------------------------
  KEY_MISMATCH: {
    status: 500,
    exit: 1,
    message: 'The master key cannot decrypt the stored secrets.',
    hint: 'Start gatehouse with the master key the secrets were encrypted with (GATEHOUSE_MASTER_KEY or master.key in the data dir). Nothing was changed.',
  },
  KEY_INVALID: {
    status: 500,
    exit: 2,
    message: 'The master key is not valid.',
    hint: 'GATEHOUSE_MASTER_KEY must be the base64 encoding of exactly 32 random bytes, e.g. `openssl rand -base64 32`.',
  },
  KEY_FILE_MISSING: {
    status: 500,
    exit: 1,
    message: 'The store holds secrets, but the data dir has no master.key and GATEHOUSE_MASTER_KEY is not set.',
    hint: 'Restore master.key into the data dir from the backup taken with the store, or set GATEHOUSE_MASTER_KEY to the key the secrets were sealed with. Nothing was changed (no new key was kept).',
  },
  // --- configuration and store ---------------------------------------------------------------------------------
  CONFIG_INVALID: {
    status: 500,
    exit: 2,
    message: 'A configuration value is not valid.',
    hint: 'Correct the setting named in the message.',
  },
  STORE_MIGRATION_PENDING: {
    status: 503,
    exit: 1,
    message: 'The database schema is behind this version of gatehouse.',
    hint: 'Run `gatehouse migrate` (once, from one instance), then start gatehouse again.',
  },
  STORE_SCHEMA_TOO_NEW: {
    status: 503,
    exit: 1,
    message: 'The database schema is newer than this version of gatehouse.',
    hint: 'Upgrade gatehouse to the version that migrated this database.',
  },
  STORE_UNAVAILABLE: {
    status: 503,
    exit: 1,
    message: 'The database cannot be reached.',
    hint: 'Check GATEHOUSE_DATABASE_URL (or the data dir for SQLite) and that the database server is running.',
  },
  STORE_FULL: {
    status: 507,
    exit: 1,
    message: 'The store is full: the disk (or the database quota) has no room for the write.',
    hint: 'Free space on the disk of the data dir (or the PostgreSQL server), or move the data dir to a larger disk; nothing half-written was kept, and the next sync resumes from its last saved page. `gatehouse store check` shows the free space.',
    uiHint:
      'Free space on the disk of the data dir (or the PostgreSQL server), or move the data dir to a larger disk; nothing half-written was kept, and the next sync resumes from its last saved page.',
  },
  STORE_CORRUPT: {
    status: 500,
    exit: 1,
    message: 'The store file is damaged: SQLite cannot read it as a database.',
    hint: 'Stop gatehouse, run `gatehouse store check` to see the damage, and restore the last backup (`gatehouse restore FILE`, with the master.key that belongs to it); then run a full sync.',
    uiHint:
      'Stop gatehouse and ask the operator to run the store check and restore the last backup (with the master.key that belongs to it); then run a full sync.',
  },
  STORE_BUSY: {
    status: 503,
    exit: 1,
    message: 'The store stayed locked by another process longer than the busy timeout.',
    hint: 'Another gatehouse process (a long sync, a backup) holds the write lock; retry in a moment.',
  },
  // --- Entra token endpoint (mapped by AADSTS number and OAuth error, never by text) --------------------------
  ENTRA_INVALID_CLIENT_SECRET: {
    status: 502,
    exit: 1,
    message: 'Entra ID rejected the client secret (AADSTS7000215).',
    hint: `The Secret ID may have been pasted instead of the secret Value. Open ${PORTAL_SECRETS}, create a new client secret, copy its Value (not the Secret ID) and update the connection's ClientSecret.`,
  },
  ENTRA_CLIENT_SECRET_EXPIRED: {
    status: 502,
    exit: 1,
    message: 'The client secret has expired (AADSTS7000222).',
    hint: `Create a new client secret under ${PORTAL_SECRETS}, update the connection's ClientSecret with its Value, and set SecretExpiresOn so gatehouse warns before the next expiry.`,
  },
  ENTRA_MISSING_CREDENTIAL: {
    status: 502,
    exit: 1,
    message: 'The token request carried no client secret or certificate (AADSTS7000218).',
    hint: 'Set ClientSecret or ClientCertificate on the connection.',
  },
  ENTRA_APP_NOT_FOUND: {
    status: 502,
    exit: 1,
    message: 'No application with this ClientID exists in the tenant (AADSTS700016).',
    hint: `Check ClientID against "Application (client) ID" on ${PORTAL_OVERVIEW}, and that the app is registered in (or consented to) this tenant.`,
  },
  ENTRA_TENANT_NOT_FOUND: {
    status: 502,
    exit: 1,
    message: 'The tenant was not found (AADSTS90002).',
    hint: `Check TenantID against "Directory (tenant) ID" on ${PORTAL_OVERVIEW}, and that Cloud matches the cloud the tenant lives in.`,
  },
  ENTRA_INVALID_TENANT: {
    status: 502,
    exit: 1,
    message: 'The TenantID is neither a tenant GUID nor a valid domain (AADSTS900023).',
    hint: `Copy "Directory (tenant) ID" from ${PORTAL_OVERVIEW}.`,
  },
  ENTRA_APP_DISABLED: {
    status: 502,
    exit: 1,
    message: 'The application is disabled (AADSTS7000112).',
    hint: 'Enable the enterprise application (Azure portal > Microsoft Entra ID > Enterprise applications > your app > Properties > "Enabled for users to sign-in?").',
  },
  ENTRA_INVALID_CERTIFICATE: {
    status: 502,
    exit: 1,
    message: 'Entra ID rejected the certificate assertion (AADSTS700027 / 50012).',
    hint: `Upload this certificate (its public part) under ${PORTAL_SECRETS} > Certificates, or set ClientCertificate to the PEM whose certificate is uploaded there.`,
  },
  ENTRA_ASSERTION_EXPIRED: {
    status: 502,
    exit: 1,
    message: 'The client assertion is outside its valid time range (AADSTS700024).',
    hint: "Check this machine's clock (NTP); the assertion is only valid for a few minutes.",
  },
  ENTRA_INVALID_SCOPE: {
    status: 502,
    exit: 1,
    message: 'Entra ID refused the requested scope (AADSTS1002012 / 70011).',
    hint: 'App-only tokens need a `<resource>/.default` scope; check GraphEndpoint and Cloud.',
  },
  ENTRA_RESOURCE_NOT_FOUND: {
    status: 502,
    exit: 1,
    message: 'Microsoft Graph is not known in this tenant or cloud (AADSTS500011).',
    hint: 'Check Cloud and GraphEndpoint: the app and Graph must be in the same cloud.',
  },
  ENTRA_UNREACHABLE: {
    status: 502,
    exit: 1,
    message: "Entra ID's token endpoint could not be reached.",
    hint: 'Check network access to the login host (and AuthorityHost if set), proxies and DNS.',
  },
  ENTRA_THROTTLED: {
    status: 503,
    exit: 1,
    message: 'Entra ID is throttling token requests.',
    hint: 'Wait for the time Entra asks for and retry; gatehouse caches tokens, so this usually means many processes share one app.',
  },
  ENTRA_TOKEN_ERROR: {
    status: 502,
    exit: 1,
    message: 'Entra ID refused to issue a token.',
    hint: "Look up Microsoft's error code (details.aadsts) at https://login.microsoftonline.com/error and quote details.traceId to Microsoft support.",
  },
  ENTRA_NO_APPLICATION_PERMISSIONS: {
    status: 403,
    exit: 1,
    message: 'The token carries no application permissions (no roles claim).',
    hint: `Add Application (not Delegated) permissions under ${PORTAL_PERMISSIONS}, then click "Grant admin consent". \`gatehouse connections permissions NAME\` prints the least-privileged ones with their ids, the az/PowerShell commands and the consent URL.`,
  },
  ENTRA_MISSING_PERMISSIONS: {
    status: 403,
    exit: 1,
    message: 'The token lacks application permissions this capability needs.',
    hint: `Add the listed Application permissions under ${PORTAL_PERMISSIONS} and click "Grant admin consent"; new tokens carry them (gatehouse fetches one on the next test). \`gatehouse connections permissions NAME\` prints them with their ids, the az/PowerShell commands and the consent URL.`,
  },
  // --- secretless credentials (product.md section 9.4; facts H) ------------------------------------------------
  ENTRA_ASSERTION_FILE_UNREADABLE: {
    status: 502,
    exit: 1,
    message: 'The federated token file (ClientAssertionFile) cannot be read.',
    hint: 'Check that the file exists on the host that runs gatehouse and is readable by its user: on Kubernetes the pod needs the label azure.workload.identity/use=true and a service account annotated with azure.workload.identity/client-id, and the path is in AZURE_FEDERATED_TOKEN_FILE (set ClientAssertionFile=env:AZURE_FEDERATED_TOKEN_FILE to follow it).',
  },
  ENTRA_ASSERTION_FILE_INVALID: {
    status: 502,
    exit: 1,
    message: 'The federated token file does not hold a JWT.',
    hint: 'ClientAssertionFile must name a file holding one OIDC token (three base64url parts separated by dots), such as the projected service-account token of a Kubernetes pod.',
  },
  ENTRA_FEDERATION_NO_MATCH: {
    status: 502,
    exit: 1,
    message: 'No federated identity credential of the app matches the presented token (AADSTS70021).',
    hint: "Under Certificates & secrets > Federated credentials, the issuer, subject and audience (api://AzureADTokenExchange) must equal the token's iss, sub and aud exactly (case and trailing slash included); details name the presented ones. A credential created minutes ago may not be active yet: retry.",
  },
  ENTRA_FEDERATION_ISSUER_MISMATCH: {
    status: 502,
    exit: 1,
    message: "No federated identity credential has the token's issuer (AADSTS700211).",
    hint: "Set the federated credential's Issuer to the token's iss exactly (details.issuer), trailing slash included: for AKS, `az aks show --query oidcIssuerProfile.issuerUrl`.",
  },
  ENTRA_FEDERATION_AUDIENCE_MISMATCH: {
    status: 502,
    exit: 1,
    message: "No federated identity credential has the token's audience (AADSTS700212).",
    hint: "Request the token with audience api://AzureADTokenExchange (the federated credential's default), or set the credential's audience to the token's aud (details.audience).",
  },
  ENTRA_FEDERATION_SUBJECT_MISMATCH: {
    status: 502,
    exit: 1,
    message: "No federated identity credential has the token's subject (AADSTS700213).",
    hint: "Set the federated credential's Subject to the token's sub exactly (details.subject), e.g. system:serviceaccount:NAMESPACE:SERVICEACCOUNT; matching is case-sensitive.",
  },
  ENTRA_FEDERATION_NOT_CONFIGURED: {
    status: 502,
    exit: 1,
    message: 'The app has no federated identity credentials (AADSTS70025).',
    hint: "Add one under Certificates & secrets > Federated credentials with the token's issuer and subject (details name them) and audience api://AzureADTokenExchange, or `az ad app federated-credential create`; see docs/credentials.md.",
  },
  ENTRA_FEDERATION_ENTRA_TOKEN: {
    status: 502,
    exit: 1,
    message: 'The federated token was issued by Entra ID itself, which federation refuses (AADSTS700222).',
    hint: 'ClientAssertionFile must hold a token of an external issuer (Kubernetes, GitHub Actions, another OIDC provider). On Azure, use ManagedIdentity instead.',
  },
  ENTRA_FEDERATION_ISSUER_UNREACHABLE: {
    status: 502,
    exit: 1,
    message: "Entra ID could not read the issuer's OIDC discovery document or keys (AADSTS50166).",
    hint: "The issuer's /.well-known/openid-configuration and its jwks_uri must be reachable from the internet over https (for a self-managed cluster, publish them to public storage).",
  },
  ENTRA_FEDERATION_KEY_NOT_FOUND: {
    status: 502,
    exit: 1,
    message: "The key that signed the federated token is not in the issuer's published keys (AADSTS7000272).",
    hint: "Publish the signing key in the issuer's JWKS (after a key rotation, update the published keys), then retry.",
  },
  ENTRA_MANAGED_IDENTITY_UNAVAILABLE: {
    status: 502,
    exit: 1,
    message: "The host's managed-identity endpoint did not answer.",
    hint: 'ManagedIdentity works only on an Azure host with a managed identity (VM, App Service, Functions, Container Apps, AKS): check that one is enabled and that the endpoint (IMDS 169.254.169.254, or IDENTITY_ENDPOINT on App Service) is reachable, without a proxy.',
  },
  ENTRA_MANAGED_IDENTITY_NOT_FOUND: {
    status: 502,
    exit: 1,
    message: 'The host has no such managed identity.',
    hint: 'With ManagedIdentity=system, enable the system-assigned identity (resource > Identity > System assigned > On). With ManagedIdentity=user, assign the user-assigned identity to the resource and set ClientID to its "Client ID".',
  },
  ENTRA_MANAGED_IDENTITY_ERROR: {
    status: 502,
    exit: 1,
    message: 'The managed-identity endpoint refused the token request.',
    hint: 'Look at details (status, error) and the identity configuration of the host; on App Service, IDENTITY_ENDPOINT and IDENTITY_HEADER must be the ones the platform sets.',
  },
  ENTRA_CREDENTIAL_EXPIRES_SOON: {
    status: 502,
    exit: 1,
    message: 'The client secret or certificate expires within 30 days.',
    hint: 'Add a new secret or certificate under Certificates & secrets, update the connection, test it, then delete the old one. A federated credential or a managed identity needs no renewal at all (docs/credentials.md).',
  },
  // --- admin consent round trip (product.md section 9.3; facts G.3) -------------------------------------------
  CONSENT_PUBLIC_URL_REQUIRED: {
    status: 400,
    exit: 2,
    message: 'The admin-consent round trip needs the address browsers reach gatehouse at.',
    hint: 'Start the server with `gatehouse serve --public-url https://your-gatehouse` and register https://your-gatehouse/consent/callback as a Web redirect URI of the app (Authentication). Without it, use the consent URL that `gatehouse connections permissions NAME` prints, then run `gatehouse connections test NAME`.',
  },
  CONSENT_NOT_APPLICABLE: {
    status: 400,
    exit: 2,
    message: 'A managed identity has no app registration to consent to.',
    hint: 'Assign the application permissions to the identity with the commands that `gatehouse connections permissions NAME` prints (app role assignments).',
  },
  CONSENT_STATE_INVALID: {
    status: 400,
    exit: 2,
    message: 'The consent callback carries no state gatehouse issued, or one already used or expired.',
    hint: 'Start the admin consent again from gatehouse (the test report\'s "Grant admin consent" link); a consent page left open longer than 15 minutes, or reloaded after use, cannot be completed.',
  },
  CONSENT_DENIED: {
    status: 403,
    exit: 1,
    message: 'Entra ID reported that admin consent was not granted.',
    hint: 'Consent to Microsoft Graph application permissions needs a Privileged Role Administrator or Global Administrator; sign in as one and start again, or grant consent under API permissions > "Grant admin consent".',
  },
  // --- Microsoft Graph --------------------------------------------------------------------------------------
  GRAPH_INSUFFICIENT_PRIVILEGES: {
    status: 403,
    exit: 1,
    message: 'Microsoft Graph refused the request: insufficient privileges.',
    hint: `Add the Application permission the operation needs under ${PORTAL_PERMISSIONS} and grant admin consent.`,
  },
  GRAPH_NOT_FOUND: {
    status: 404,
    exit: 1,
    message: 'The object does not exist in the tenant.',
    hint: 'Check the id or userPrincipalName; it may have been deleted. An object created seconds ago may not have reached every Entra replica yet (eventual consistency): try again in a minute.',
  },
  GRAPH_BAD_REQUEST: {
    status: 400,
    exit: 1,
    message: 'Microsoft Graph rejected the request.',
    hint: 'Check the values sent; details carry Graph’s own error code.',
  },
  GRAPH_CONFLICT: {
    status: 409,
    exit: 1,
    message: 'Another object already has this value.',
    hint: 'Choose a unique value for the property named in details.property.',
  },
  GRAPH_PROTECTED_OBJECT: {
    status: 403,
    exit: 1,
    message: 'The object is protected and cannot be changed by this application.',
    hint: 'Administrators and role-assignable groups can only be changed by an app that holds a suitable directory role; change it in the Azure portal or grant the app the role.',
  },
  GRAPH_UNAUTHORIZED: {
    status: 502,
    exit: 1,
    message: 'Microsoft Graph rejected the access token.',
    hint: 'Test the connection (Test on the Connections page, or `gatehouse connections test NAME`) and check Cloud and GraphEndpoint.',
  },
  GRAPH_THROTTLED: {
    status: 503,
    exit: 1,
    message: 'Microsoft Graph is throttling this application.',
    hint: 'Retry later; gatehouse already waited as long as Graph asked for.',
  },
  GRAPH_UNAVAILABLE: {
    status: 503,
    exit: 1,
    message: 'Microsoft Graph is unavailable.',
    hint: 'Retry later; check GraphEndpoint if this persists.',
  },
  GRAPH_INVALID_RESPONSE: {
    status: 502,
    exit: 1,
    message: 'Microsoft Graph answered with something gatehouse cannot read.',
    hint: 'Check GraphEndpoint: it must point at Microsoft Graph (or the gatehouse emulator).',
  },
  GRAPH_DELTA_RESYNC_REQUIRED: {
    status: 502,
    exit: 1,
    message: 'Microsoft Graph no longer accepts the saved delta token (410 Gone or an expired sync state).',
    hint: 'gatehouse starts a full, reconciling round by itself; if this persists, run a full sync (Full sync on the Sync page, or `gatehouse sync run NAME --full`).',
  },
  GRAPH_TIMEOUT: {
    status: 504,
    exit: 1,
    message: 'Microsoft Graph did not answer in time.',
    hint: 'Retry later; check network access to GraphEndpoint (proxies, DNS, firewall).',
  },
  GRAPH_NOT_YET_REPLICATED: {
    status: 404,
    exit: 1,
    message: 'Microsoft Graph still did not find the object after retrying for about 30 seconds.',
    hint: 'Entra ID is eventually consistent: an object created or changed moments ago can take a while to reach every replica. If it was just created, run the action again in a minute; otherwise check the id — the object may not exist.',
  },
  // --- directory ----------------------------------------------------------------------------------------------
  DIRECTORY_USER_NOT_FOUND: {
    status: 404,
    exit: 1,
    message: 'No such user in the local directory.',
    hint: 'Give an object id or userPrincipalName; run `gatehouse sync run` if the user was created recently.',
    uiHint:
      'Pick the user from the list, or give an object id or userPrincipalName; run a sync (Sync page) if the user was created recently.',
  },
  DIRECTORY_GROUP_NOT_FOUND: {
    status: 404,
    exit: 1,
    message: 'No such group in the local directory.',
    hint: 'Give an object id or exact displayName; run `gatehouse sync run` if the group was created recently.',
    uiHint:
      'Pick the group from the list, or give an object id or exact displayName; run a sync (Sync page) if the group was created recently.',
  },
  DIRECTORY_AMBIGUOUS_GROUP: {
    status: 409,
    exit: 2,
    message: 'More than one group has that displayName.',
    hint: 'Use the group id instead; details.candidates lists the matching groups.',
    uiHint: 'Pick the group from the list (or use its id); details.candidates lists the matching groups.',
  },
  DIRECTORY_NOT_SYNCED: {
    status: 409,
    exit: 1,
    message: 'The connection has not been synced yet.',
    hint: 'Run `gatehouse sync run NAME` first, or ask Graph directly with --live.',
    uiHint: 'Run a sync first (Sync page, or POST /api/v1/sync/NAME/run), or ask Graph live.',
  },
  // --- sync ---------------------------------------------------------------------------------------------------
  SYNC_ALREADY_RUNNING: {
    status: 409,
    exit: 1,
    message: 'A sync of this connection is already running.',
    hint: 'Wait for it to finish (`gatehouse sync status NAME`).',
    uiHint: 'Wait for it to finish; the Sync page shows its progress.',
  },
  SYNC_RUN_INTERRUPTED: {
    status: 500,
    exit: 1,
    message: 'The sync run stopped without finishing: its process died or stopped renewing its lease.',
    hint: 'Nothing is lost: the next run resumes from the last saved page. Check the log of the stopped process for why it ended.',
  },
  SYNC_DELETE_THRESHOLD_EXCEEDED: {
    status: 409,
    exit: 1,
    message: 'The sync would delete more objects than the accidental-deletion threshold allows; nothing was applied.',
    hint: 'Check the deletions in the run report; if they are intended, run `gatehouse sync run NAME --allow-deletes` (or raise --delete-threshold).',
    uiHint:
      'Check the deletions in the run report; if they are intended, release them on the Sync page ("Release: apply the removals", allowDeletes: true over REST) or raise the delete threshold.',
  },
  SYNC_INVALID_SCHEDULE: {
    status: 400,
    exit: 2,
    message: 'The schedule is not valid.',
    hint: 'Use `every 15m`, `every 2h`, `daily 02:30 Europe/Berlin`, or `off`.',
    uiHint: 'Use `every 15m`, `every 2h`, `daily 02:30 Europe/Berlin`, or `off`.',
  },
  SYNC_INVALID_POLICY: {
    status: 400,
    exit: 2,
    message: 'A sync policy value is not valid.',
    hint: 'Use --disabled-users exclude|include and --delete-threshold N or N%.',
    uiHint: 'Disabled users is exclude or include; the delete threshold is a number of objects (N) or a share (N%).',
  },
  SYNC_RESYNC_FAILED: {
    status: 502,
    exit: 1,
    message: 'Microsoft Graph refused the saved delta link, and the full round started in its place failed too.',
    hint: 'details carry both answers (status and Graph error code). Test the connection (`gatehouse connections test NAME`) and check GraphEndpoint and the $select/$filter settings; then run `gatehouse sync run NAME --full`.',
    uiHint:
      'details carry both answers (status and Graph error code). Test the connection on the Connections page and check GraphEndpoint; then start a Full sync on the Sync page.',
  },
  SYNC_NOTIFICATIONS_PUBLIC_URL_REQUIRED: {
    status: 400,
    exit: 2,
    message: 'Change notifications need the https address Microsoft Graph can reach gatehouse at.',
    hint: 'Start the server with `gatehouse serve --public-url https://your-gatehouse` (reachable from the internet, TLS terminated by a proxy is fine); Graph posts to https://your-gatehouse/api/v1/notifications/graph/{connection id}. Until then the schedule keeps syncing.',
    uiHint:
      'The server runs without a public URL: start it with --public-url https://your-gatehouse (reachable by Microsoft Graph). Until then the schedule keeps syncing.',
  },
  SYNC_NOTIFICATION_SUBSCRIBE_FAILED: {
    status: 502,
    exit: 1,
    message: 'Microsoft Graph did not create a change-notification subscription.',
    hint: "Graph checks the notification URL before it subscribes: the public URL must be https, reachable from the internet and answer within 10 s. The app needs the Application permissions User.Read.All (users) and Group.Read.All (groups; GroupMember.Read.All is not enough) with admin consent. The details name Graph's answer; the schedule keeps syncing meanwhile.",
  },
  SYNC_NOTIFICATION_CLIENT_STATE_MISMATCH: {
    status: 403,
    exit: 1,
    message:
      'A change notification carried a clientState that matches no subscription of the connection; it was ignored.',
    hint: 'Notifications are answered 202 and ignored when their clientState is wrong. Occasional ones follow a recreated subscription; a steady stream means someone other than Microsoft Graph posts to the notification endpoint (check the source addresses in the audit log). Nothing is synced because of them.',
  },
  // --- actions ------------------------------------------------------------------------------------------------
  ACTION_UNKNOWN: {
    status: 404,
    exit: 2,
    message: 'Unknown action.',
    hint: 'See docs/actions.md (or GET /api/v1/actions) for the action names.',
  },
  ACTION_INVALID_INPUT: {
    status: 400,
    exit: 2,
    message: 'The action input does not match its schema.',
    hint: 'details.errors lists each field; see docs/actions.md for the input schema.',
  },
  ACTION_WRITE_NOT_ALLOWED: {
    status: 400,
    exit: 2,
    message: 'graph.request only reads unless writes are asked for.',
    hint: 'Set "allowWrite": true in the input to send a POST, PATCH, PUT or DELETE.',
  },
  ACTION_GRAPH_PATH_INVALID: {
    status: 400,
    exit: 2,
    message: 'The Graph path is not a plain path under the version root.',
    hint: 'Give a path such as /users?$top=5 or /groups/{id}/members: no host, no /v1.0, no .. or encoded separators (%2e%2e, %2f) and no double encoding.',
  },
  ACTION_GRAPH_WRITE_NOT_ALLOWED: {
    status: 403,
    exit: 2,
    message: 'graph.request may not write to this path on this connection.',
    hint: "An admin lists the writes operators may send in the connection's GraphWritePaths parameter, e.g. `gatehouse connections update NAME --param 'GraphWritePaths=POST /users/*/revokeSignInSessions'` (default: none).",
    uiHint:
      "An admin lists the writes operators may send in the connection's GraphWritePaths parameter (Connections page > Edit), e.g. POST /users/*/revokeSignInSessions (default: none).",
  },
  // --- events and webhooks (product.md section 9.2; docs/events.md) ------------------------------------------
  EVENT_CURSOR_INVALID: {
    status: 400,
    exit: 2,
    message: 'The event cursor is not valid.',
    hint: 'Use the id of an event (a number) from `gatehouse events list`, or leave --after out to start at the oldest.',
    uiHint: 'Pass the id of an event (a number) as `after`, or leave it out to start at the oldest kept event.',
  },
  EVENT_TYPE_UNKNOWN: {
    status: 400,
    exit: 2,
    message: 'There is no such event type.',
    hint: 'docs/events.md lists the types: user.created, user.updated, user.disabled, user.enabled, user.deleted, user.restored, user.purged, group.created, group.updated, group.deleted, membership.added, membership.removed.',
  },
  EVENT_NOT_FOUND: {
    status: 404,
    exit: 2,
    message: 'No event with that id is kept.',
    hint: 'Run `gatehouse webhooks deliveries NAME` to see the event ids of the webhook; events older than the retention are pruned.',
    uiHint: 'The Events page lists the kept events; events older than the retention are pruned.',
  },
  WEBHOOK_NOT_FOUND: {
    status: 404,
    exit: 2,
    message: 'No webhook with that name exists.',
    hint: 'Run `gatehouse webhooks list` to see the webhook names.',
    uiHint: 'The Events page (or GET /api/v1/webhooks) lists the webhooks.',
  },
  WEBHOOK_NAME_TAKEN: {
    status: 409,
    exit: 2,
    message: 'A webhook with that name already exists.',
    hint: 'Choose another name, or remove the old webhook first with `gatehouse webhooks remove NAME`.',
    uiHint: 'Choose another name, or delete the old webhook first.',
  },
  WEBHOOK_URL_INVALID: {
    status: 400,
    exit: 2,
    message: 'The webhook URL is not valid.',
    hint: 'Give an absolute https:// URL (http:// only for localhost during development), without user name or password.',
  },
  WEBHOOK_URL_NOT_ALLOWED: {
    status: 400,
    exit: 2,
    message: 'The webhook URL points to a private, loopback or link-local address.',
    hint: 'Use a public https:// receiver; to deliver inside your network, start the server with GATEHOUSE_WEBHOOK_ALLOW_PRIVATE=1.',
  },
  // --- server and auth ----------------------------------------------------------------------------------------
  AUTH_REQUIRED: {
    status: 401,
    exit: 1,
    message: 'Authentication is required.',
    hint: 'Log in, or send an API token as `Authorization: Bearer <token>`.',
  },
  AUTH_FORBIDDEN: {
    status: 403,
    exit: 1,
    message: 'Your role does not allow this.',
    hint: 'Ask an admin to give your account the role the message names (viewers read, operators also run syncs, tests and identity actions, admins also change connections and accounts).',
  },
  AUTH_INVALID_CREDENTIALS: {
    status: 401,
    exit: 1,
    message: 'Wrong user name or password.',
    hint: 'Check the user name and password; an admin can reset the password.',
  },
  AUTH_RATE_LIMITED: {
    status: 429,
    exit: 1,
    message: 'Too many failed logins.',
    hint: 'Wait a few minutes before trying again.',
  },
  AUTH_CSRF_FAILED: {
    status: 403,
    exit: 1,
    message: 'The request lacks a valid CSRF token.',
    hint: 'Reload the page and try again; scripts should use an API token instead of a session cookie.',
  },
  AUTH_TOKEN_EXPIRED: {
    status: 401,
    exit: 1,
    message: 'The API token has expired.',
    hint: 'Create a new API token.',
  },
  AUTH_SETUP_INVALID: {
    status: 400,
    exit: 1,
    message: 'The setup link is not valid: it was used already, has expired, or an admin exists.',
    hint: 'Log in with an admin account, or create one with `gatehouse accounts create --admin`.',
    uiHint: 'Sign in with an admin account; admins add accounts on the Accounts & tokens page.',
  },
  ACCOUNT_NOT_FOUND: {
    status: 404,
    exit: 2,
    message: 'No account with that user name exists.',
    hint: 'Run `gatehouse accounts list` to see the accounts.',
    uiHint: 'The Accounts & tokens page lists the accounts.',
  },
  ACCOUNT_USERNAME_TAKEN: {
    status: 409,
    exit: 2,
    message: 'An account with that user name already exists.',
    hint: 'User names are unique regardless of case; choose another one.',
  },
  ACCOUNT_INVALID_USERNAME: {
    status: 400,
    exit: 2,
    message: 'The user name is not valid.',
    hint: 'Use 1 to 64 characters: letters, digits, dot, underscore, @ and hyphen, starting with a letter or digit.',
  },
  ACCOUNT_WEAK_PASSWORD: {
    status: 400,
    exit: 2,
    message: 'The password is too short.',
    hint: 'Use at least 12 characters; a passphrase of several words is easy to remember.',
  },
  ACCOUNT_LAST_ADMIN: {
    status: 409,
    exit: 1,
    message: 'This would leave gatehouse without an active admin.',
    hint: 'Make another account admin first.',
  },
  API_TOKEN_NOT_FOUND: {
    status: 404,
    exit: 2,
    message: 'No API token with that id exists.',
    hint: 'List the tokens to see their ids.',
    uiHint: 'The Accounts & tokens page lists the tokens.',
  },
  HOST_NOT_ALLOWED: {
    status: 421,
    exit: 2,
    message: 'This server does not answer to that host name.',
    hint: 'Use the address the server was started for, or start it with `--allowed-hosts NAME` (comma separated).',
    uiHint: 'Open the console at the address the administrator configured (the server refuses other host names).',
  },
  REQUEST_TOO_LARGE: {
    status: 413,
    exit: 2,
    message: 'The request body is larger than the server accepts.',
    hint: 'Send a smaller body: details.maxBytes is the limit.',
  },
  FILE_TOO_LARGE: {
    status: 413,
    exit: 2,
    message: 'The file is larger than gatehouse reads.',
    hint: 'Point the option at the right file: parameter and passphrase files are at most 1 MiB, exports and inputs 8 MiB.',
  },
  REQUEST_INVALID: {
    status: 400,
    exit: 2,
    message: 'The request is not valid.',
    hint: 'details lists what is wrong; see /api/openapi.json for the request shapes.',
  },
  USAGE_ERROR: {
    status: 400,
    exit: 2,
    message: 'The command line is not valid.',
    hint: 'Run the command with --help.',
  },
  NOT_FOUND: {
    status: 404,
    exit: 2,
    message: 'Not found.',
    hint: 'Check the path; see /api/openapi.json.',
  },
  INTERNAL: {
    status: 500,
    exit: 1,
    message: 'An unexpected error occurred.',
    hint: 'Retry; if it persists, report it with the requestId from the server log.',
  },
} as const satisfies Record<string, ErrorSpec>;

export type ErrorCode = keyof typeof ERROR_CATALOGUE;

export function isErrorCode(value: string): value is ErrorCode {
  return Object.hasOwn(ERROR_CATALOGUE, value);
}
