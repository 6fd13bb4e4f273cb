// Every place where a Xero URL is chosen, so pointing the bot at another Xero (the fake on
// loopback) is configuration, not patches scattered over the adapter. xero-node hard-codes
// https://identity.xero.com and https://api.xero.com for discovery, the token helper and
// /connections; we never call discovery, hand openid-client an issuer built here, set the API
// classes' basePath, and rewrite xero-node's own hard-coded /connections requests per call.
import { AsyncLocalStorage } from 'node:async_hooks';
import { createRequire } from 'node:module';
import { custom, Issuer, type BaseClient } from 'openid-client';

export interface XeroEndpoints {
  identityUrl: string;
  apiUrl: string;
  /** Limit for every HTTP call, connect and answer included. */
  timeoutMs: number;
}

const productionIdentity = 'https://identity.xero.com';
const productionApi = 'https://api.xero.com';

/** The identity service's metadata as Xero publishes it, for the configured base URL. */
export function buildIssuer(endpoints: XeroEndpoints): Issuer<BaseClient> {
  const base = endpoints.identityUrl;
  const issuer = new Issuer({
    issuer: base,
    // Xero's real consent page lives on login.xero.com; another identity URL serves its own.
    authorization_endpoint: base === productionIdentity ? 'https://login.xero.com/identity/connect/authorize' : `${base}/connect/authorize`,
    token_endpoint: `${base}/connect/token`,
    jwks_uri: `${base}/.well-known/openid-configuration/jwks`,
    revocation_endpoint: `${base}/connect/revocation`,
  });
  // The JWKS fetch goes through the issuer, the token calls through the client: both get the limit.
  issuer[custom.http_options] = (_url, options) => ({ ...options, timeout: endpoints.timeoutMs });
  return issuer;
}

export function withHttpTimeout(client: BaseClient, endpoints: XeroEndpoints): void {
  client[custom.http_options] = (_url, options) => ({ ...options, timeout: endpoints.timeoutMs });
}

/** The Accounting API classes' basePath. */
export function accountingBasePath(endpoints: XeroEndpoints): string {
  return `${endpoints.apiUrl}/api.xro/2.0`;
}

interface AxiosRequestConfigLike {
  url?: string;
  timeout?: number;
}
interface AxiosLike {
  interceptors: { request: { use(onFulfilled: (config: AxiosRequestConfigLike) => AxiosRequestConfigLike): number } };
}

const callScope = new AsyncLocalStorage<XeroEndpoints>();
let interceptorInstalled = false;

// xero-node loads axios with require(); this ESM module would get another copy from `import`.
function xeroNodeAxios(): AxiosLike {
  const fromXeroNode = createRequire(createRequire(import.meta.url).resolve('xero-node'));
  return fromXeroNode('axios') as AxiosLike;
}

/**
 * Runs `call` with every axios request xero-node makes inside it sent to `endpoints` and limited
 * to its timeout. Scoped per call (not a global setting), so two gateways with different URLs
 * can share a process, and code outside a call is untouched.
 */
export function withEndpoints<T>(endpoints: XeroEndpoints, call: () => Promise<T>): Promise<T> {
  if (!interceptorInstalled) {
    xeroNodeAxios().interceptors.request.use((config) => {
      const scope = callScope.getStore();
      if (!scope) return config;
      if (config.url?.startsWith(productionApi)) config.url = scope.apiUrl + config.url.slice(productionApi.length);
      else if (config.url?.startsWith(productionIdentity)) config.url = scope.identityUrl + config.url.slice(productionIdentity.length);
      config.timeout = scope.timeoutMs;
      return config;
    });
    interceptorInstalled = true;
  }
  return callScope.run(endpoints, call);
}
