/**
 * National clouds: login host, Graph host and app-only scope per cloud.
 * https://learn.microsoft.com/graph/deployments , https://learn.microsoft.com/graph/sdks/national-clouds
 */
export const CLOUD_NAMES = ['Global', 'USGov', 'USGovDoD', 'China'] as const;
export type CloudName = (typeof CLOUD_NAMES)[number];

export interface CloudEndpoints {
  /** Origin of the token endpoint (`{authorityHost}/{tenant}/oauth2/v2.0/token`). */
  readonly authorityHost: string;
  /** Origin of Microsoft Graph (`{graphEndpoint}/v1.0/...`). */
  readonly graphEndpoint: string;
}

export const CLOUDS: Readonly<Record<CloudName, CloudEndpoints>> = {
  Global: { authorityHost: 'https://login.microsoftonline.com', graphEndpoint: 'https://graph.microsoft.com' },
  USGov: { authorityHost: 'https://login.microsoftonline.us', graphEndpoint: 'https://graph.microsoft.us' },
  USGovDoD: { authorityHost: 'https://login.microsoftonline.us', graphEndpoint: 'https://dod-graph.microsoft.us' },
  // msal canonicalises login.chinacloudapi.cn to login.partner.microsoftonline.cn; both are Microsoft hosts.
  China: {
    authorityHost: 'https://login.partner.microsoftonline.cn',
    graphEndpoint: 'https://microsoftgraph.chinacloudapi.cn',
  },
};

/** The `.default` scope of the Graph resource an app-only token is requested for. */
export function graphScope(cloud: CloudName): string {
  return `${CLOUDS[cloud].graphEndpoint}/.default`;
}
