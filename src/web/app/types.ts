/** Shapes the REST API answers with (see /api/openapi.json). */
export type Role = 'viewer' | 'operator' | 'admin';

export interface Me {
  kind: 'account' | 'token';
  name: string;
  role: Role;
  csrfToken?: string;
}

export interface ParameterSpecView {
  key: string;
  label: string;
  required: boolean;
  secret: boolean;
  hint: string;
}

export interface ConnectionTypeView {
  name: string;
  description: string;
  parameters: ParameterSpecView[];
}

export type ParameterView =
  | { key: string; secret: false; value: string }
  | {
      key: string;
      secret: true;
      set: true;
      setAt: string;
      fingerprint: string;
      info?: Record<string, string>;
      /** Entered for other hosts or another connection: not sent until entered again. */
      enterAgain?: true;
    };

export interface TestCheck {
  id: string;
  status: 'pass' | 'fail' | 'warn' | 'skip';
  code?: string;
  message: string;
  hint?: string;
  details?: Record<string, unknown>;
}

/** `GET /connections/{name}/permissions` and the failing permissions check's `details.plan` (product.md 9.3). */
export interface PermissionPlan {
  connection: string;
  clientId: string;
  capabilities: string[];
  permissions: { value: string; id: string; type: 'Role'; granted: boolean; neededBy: string[] }[];
  requiredResourceAccess: { resourceAppId: string; resourceAccess: { id: string; type: 'Role' }[] }[];
  adminConsentUrl: string | null;
  commands: { azureCli: string[]; powershell: string[] };
}

export interface TestReport {
  connection: string;
  ok: boolean;
  testedAt?: string;
  tokenExpiresAt?: string;
  checks: TestCheck[];
  grantedRoles: string[];
  capabilities: Record<string, { ok: boolean; missing: string[] }>;
}

export interface ConnectionView {
  id: string;
  name: string;
  type: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  parameters: ParameterView[];
  lastTest?: { at: string; ok: boolean; code?: string; message?: string };
  tokenState?: { acquiredAt?: string; expiresAt?: string; roles?: string[]; lastErrorCode?: string };
  lastSync?: { at: string; status: string };
  secretExpiresOn?: string;
  credentialExpiry?: {
    expiresAt: string;
    source: 'graph' | 'certificate' | 'SecretExpiresOn';
    credential: 'secret' | 'certificate';
    name?: string;
  };
}

export interface ConnectionChange {
  connection: ConnectionView;
  trimmed: string[];
  warnings: string[];
}
