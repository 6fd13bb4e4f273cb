// What the use-cases need from Xero, in plain records: no SDK type crosses this line. The
// xero-node adapter (src/xero/) implements it; token sets are plain values so the database can
// store one per authorization, encrypted, and hand it back.

/** One OAuth authorization: it covers every organisation the user picked at consent. */
export interface XeroTokenSet {
  accessToken: string;
  refreshToken: string;
  /** Present when the openid scope was granted. */
  idToken: string | undefined;
  /** When the access token stops working (Xero: 30 minutes after issue). */
  expiresAt: Date;
  scopes: string[];
}

/** A tenant listed by GET /connections for the token set's user. */
export interface XeroTenantConnection {
  /** Xero's connection id, what DELETE /connections/{id} takes. */
  connectionId: string;
  tenantId: string;
  tenantType: string;
  tenantName: string;
  /** Shared by the tenants authorised in one consent. */
  authEventId: string | undefined;
  createdAt: Date | undefined;
  updatedAt: Date | undefined;
}

export interface XeroOrganisation {
  organisationId: string;
  name: string;
  legalName: string | undefined;
  /** Xero's OrganisationStatus, e.g. ACTIVE. */
  status: string | undefined;
  /** Xero's subscription class: DEMO, TRIAL, STARTER, STANDARD, PREMIUM... */
  subscriptionClass: string | undefined;
  countryCode: string | undefined;
  baseCurrency: string | undefined;
  isDemoCompany: boolean;
}

/** Calls left before Xero answers 429; undefined when Xero did not say. */
export interface XeroRateHeadroom {
  minuteRemaining: number | undefined;
  dayRemaining: number | undefined;
  appMinuteRemaining: number | undefined;
}

export interface XeroIdentity {
  /** The Xero user who consented (the id_token's subject). */
  userId: string | undefined;
  email: string | undefined;
  name: string | undefined;
}

export interface XeroGateway {
  /** Xero's consent page for a fresh authorization; `state` comes back on the callback unchanged. */
  consentUrl(state: string): Promise<string>;
  /** Trades the callback's code for a token set. The caller has already checked `state`. */
  exchangeCode(input: { code: string; state: string }): Promise<XeroTokenSet>;
  /** Rotates the refresh token: the returned set replaces the stored one before anything uses it. */
  refresh(tokens: XeroTokenSet): Promise<XeroTokenSet>;
  listConnections(accessToken: string): Promise<XeroTenantConnection[]>;
  deleteConnection(accessToken: string, connectionId: string): Promise<void>;
  /** Ends the authorization at Xero (its refresh token, and the connections made with it). */
  revokeToken(tokens: XeroTokenSet): Promise<void>;
  getOrganisation(accessToken: string, tenantId: string): Promise<{ organisation: XeroOrganisation; headroom: XeroRateHeadroom }>;
  /** Who consented, read from the id_token without a call to Xero. */
  identityOf(tokens: XeroTokenSet): XeroIdentity;
}

export type XeroErrorCode =
  /** invalid_grant on refresh: revoked, aged out or already used. Reconnecting is the only fix. */
  | 'refresh_rejected'
  /** invalid_grant on a code exchange: the code is unknown, used or expired. */
  | 'code_rejected'
  /** Xero refused our client id or secret: a configuration problem, not a user one. */
  | 'client_rejected'
  | 'consent_declined'
  /** The access token is expired, revoked or unknown (HTTP 401). */
  | 'unauthorized'
  | 'forbidden'
  /** The token is fine but the organisation is not (or no longer) connected to it (403). */
  | 'tenant_not_connected'
  | 'not_found'
  | 'rate_limited'
  | 'validation'
  /** 5xx, refused connections or a dropped response. */
  | 'xero_unavailable'
  | 'timeout'
  /** Something Xero should never send us. */
  | 'unexpected_response';

export type RateLimitProblem = 'minute' | 'day' | 'app' | 'concurrent';

export interface XeroErrorDetails {
  /** The HTTP status Xero answered with, if it answered. */
  status?: number;
  /** rate_limited: how long to wait before the next call. */
  retryAfterMs?: number;
  /** rate_limited: which of Xero's limits was hit. */
  problem?: RateLimitProblem;
  /** validation: Xero's messages, for people to read. */
  messages?: string[];
  headroom?: XeroRateHeadroom;
}

/** A failed Xero call, normalised: decisions look at `code` only. Messages never hold tokens. */
export class XeroError extends Error {
  readonly code: XeroErrorCode;
  readonly details: XeroErrorDetails;
  constructor(code: XeroErrorCode, message: string, details: XeroErrorDetails = {}, options?: ErrorOptions) {
    super(message, options);
    this.name = 'XeroError';
    this.code = code;
    this.details = details;
  }

  /** Worth trying again later with the same token set (as opposed to needing a person). */
  get transient(): boolean {
    return this.code === 'rate_limited' || this.code === 'xero_unavailable' || this.code === 'timeout';
  }
}

export function isXeroError(error: unknown): error is XeroError {
  return error instanceof XeroError;
}
