// The XeroGateway on xero-node: one XeroClient per call, built from the token set the caller
// holds, so no token lives in this object and several processes can share one store. Every call
// runs under withEndpoints (URLs and a timeout) and fails only with a XeroError.
import { XeroClient, type TokenSet } from 'xero-node';
import type { XeroConfig } from '../config.ts';
import {
  XeroError,
  type XeroGateway,
  type XeroIdentity,
  type XeroOrganisation,
  type XeroRateHeadroom,
  type XeroTenantConnection,
  type XeroTokenSet,
} from '../support/xero-gateway.ts';
import { accountingBasePath, buildIssuer, withEndpoints, withHttpTimeout, type XeroEndpoints } from './xero-endpoints.ts';
import { readHeadroom, toXeroError } from './xero-errors.ts';
import { xeroScopes } from './xero-scopes.ts';
import type { BaseClient } from 'openid-client';

export interface XeroNodeGatewayOptions {
  clientId: string;
  clientSecret: string;
  redirectUri: string;
  identityUrl: string;
  apiUrl: string;
  /** Per HTTP call (default 10 s): a stalled Xero fails the call with `timeout` instead of hanging it. */
  timeoutMs?: number;
  scopes?: readonly string[];
}

/** The gateway for the configured Xero, or undefined when no client id and secret are set. */
export function createXeroGateway(config: XeroConfig, timeoutMs?: number): XeroNodeGateway | undefined {
  if (!config.credentials) return undefined;
  return new XeroNodeGateway({ ...config.credentials, redirectUri: config.redirectUri, identityUrl: config.identityUrl, apiUrl: config.apiUrl, timeoutMs });
}

interface ConnectionBody {
  id?: string;
  tenantId?: string;
  tenantType?: string;
  tenantName?: string;
  authEventId?: string;
  createdDateUtc?: string;
  updatedDateUtc?: string;
}

// Xero writes connection times without a zone; they are UTC.
function utcDate(value: string | undefined): Date | undefined {
  if (!value) return undefined;
  const date = new Date(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

export class XeroNodeGateway implements XeroGateway {
  private readonly options: XeroNodeGatewayOptions;
  private readonly endpoints: XeroEndpoints;
  private readonly openIdClient: BaseClient;

  constructor(options: XeroNodeGatewayOptions) {
    this.options = options;
    this.endpoints = { identityUrl: options.identityUrl, apiUrl: options.apiUrl, timeoutMs: options.timeoutMs ?? 10_000 };
    const issuer = buildIssuer(this.endpoints);
    // Shared by the calls: it caches Xero's signing keys, and holds no tokens.
    this.openIdClient = new issuer.Client({ client_id: options.clientId, client_secret: options.clientSecret, redirect_uris: [options.redirectUri], response_types: ['code'] });
    withHttpTimeout(this.openIdClient, this.endpoints);
  }

  private client(state?: string, tokens?: XeroTokenSet): XeroClient {
    const client = new XeroClient({
      clientId: this.options.clientId,
      clientSecret: this.options.clientSecret,
      redirectUris: [this.options.redirectUri],
      scopes: [...(this.options.scopes ?? xeroScopes)],
      state,
    });
    client.openIdClient = this.openIdClient;
    client.accountingApi.basePath = accountingBasePath(this.endpoints);
    if (tokens) {
      client.setTokenSet({
        access_token: tokens.accessToken,
        refresh_token: tokens.refreshToken,
        id_token: tokens.idToken,
        expires_at: Math.floor(tokens.expiresAt.getTime() / 1000),
        token_type: 'Bearer',
        scope: tokens.scopes.join(' '),
      });
    }
    return client;
  }

  private async call<T>(what: string, run: () => Promise<T>): Promise<T> {
    try {
      return await withEndpoints(this.endpoints, run);
    } catch (error) {
      throw toXeroError(error, what);
    }
  }

  consentUrl(state: string): Promise<string> {
    return this.client(state).buildConsentUrl();
  }

  exchangeCode(input: { code: string; state: string }): Promise<XeroTokenSet> {
    const callback = new URL(this.options.redirectUri);
    callback.searchParams.set('code', input.code);
    callback.searchParams.set('state', input.state);
    return this.call('code exchange', async () => toTokenSet(await this.client(input.state).apiCallback(callback.toString())));
  }

  refresh(tokens: XeroTokenSet): Promise<XeroTokenSet> {
    return this.call('token refresh', async () => toTokenSet(await this.client(undefined, tokens).refreshToken()));
  }

  listConnections(accessToken: string): Promise<XeroTenantConnection[]> {
    return this.call('GET /connections', async () => {
      const body = (await this.client(undefined, bearerOnly(accessToken)).updateTenants(false)) as ConnectionBody[];
      return body.map((c) => ({
        connectionId: c.id ?? '',
        tenantId: c.tenantId ?? '',
        tenantType: c.tenantType ?? 'ORGANISATION',
        tenantName: c.tenantName ?? '',
        authEventId: c.authEventId,
        createdAt: utcDate(c.createdDateUtc),
        updatedAt: utcDate(c.updatedDateUtc),
      }));
    });
  }

  deleteConnection(accessToken: string, connectionId: string): Promise<void> {
    return this.call(`DELETE /connections/${connectionId}`, async () => {
      await this.client(undefined, bearerOnly(accessToken)).disconnect(connectionId);
    });
  }

  revokeToken(tokens: XeroTokenSet): Promise<void> {
    return this.call('token revocation', async () => {
      await this.client(undefined, tokens).revokeToken();
    });
  }

  getOrganisation(accessToken: string, tenantId: string): Promise<{ organisation: XeroOrganisation; headroom: XeroRateHeadroom }> {
    return this.call('GET Organisation', async () => {
      const { response, body } = await this.client(undefined, bearerOnly(accessToken)).accountingApi.getOrganisations(tenantId);
      const org = body.organisations?.[0];
      if (!org?.organisationID) throw new XeroError('unexpected_response', 'Xero answered GET Organisation without an organisation', { status: response.status });
      return {
        organisation: {
          organisationId: org.organisationID,
          name: org.name ?? '',
          legalName: org.legalName,
          status: org.organisationStatus,
          subscriptionClass: org._class === undefined ? undefined : String(org._class),
          countryCode: org.countryCode === undefined ? undefined : String(org.countryCode),
          baseCurrency: org.baseCurrency === undefined ? undefined : String(org.baseCurrency),
          isDemoCompany: org.isDemoCompany ?? false,
        },
        headroom: readHeadroom(response.headers as Record<string, unknown>),
      };
    });
  }

  identityOf(tokens: XeroTokenSet): XeroIdentity {
    const claims = decodeJwtPayload(tokens.idToken);
    const name = [claims.given_name, claims.family_name].filter((p) => typeof p === 'string' && p).join(' ');
    return {
      userId: typeof claims.xero_userid === 'string' ? claims.xero_userid : typeof claims.sub === 'string' ? claims.sub : undefined,
      email: typeof claims.email === 'string' ? claims.email : undefined,
      name: name || undefined,
    };
  }
}

/** API calls only need the access token; the rest of the set stays with its owner. */
function bearerOnly(accessToken: string): XeroTokenSet {
  return { accessToken, refreshToken: '', idToken: undefined, expiresAt: new Date(0), scopes: [] };
}

function toTokenSet(set: TokenSet): XeroTokenSet {
  if (!set.access_token || !set.refresh_token) throw new XeroError('unexpected_response', 'Xero answered without an access and refresh token (is offline_access among the scopes?)');
  const expiresAt = set.expires_at ? new Date(set.expires_at * 1000) : new Date(Date.now() + 30 * 60_000);
  return { accessToken: set.access_token, refreshToken: set.refresh_token, idToken: set.id_token, expiresAt, scopes: (set.scope ?? '').split(' ').filter(Boolean) };
}

function decodeJwtPayload(jwt: string | undefined): Record<string, unknown> {
  const payload = jwt?.split('.')[1];
  if (!payload) return {};
  try {
    return JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}
