/** Sign-in and Graph hosts of each Microsoft cloud (docs/GRAPH-NOTES.md §8). */
export interface CloudEndpoints {
  readonly authorityHost: string;
  readonly graphHost: string;
}

export const CLOUDS = {
  global: { authorityHost: 'login.microsoftonline.com', graphHost: 'graph.microsoft.com' },
  usgov: { authorityHost: 'login.microsoftonline.us', graphHost: 'graph.microsoft.us' },
  'usgov-dod': { authorityHost: 'login.microsoftonline.us', graphHost: 'dod-graph.microsoft.us' },
  china: { authorityHost: 'login.chinacloudapi.cn', graphHost: 'microsoftgraph.chinacloudapi.cn' },
} as const satisfies Record<string, CloudEndpoints>;

export type CloudName = keyof typeof CLOUDS;
