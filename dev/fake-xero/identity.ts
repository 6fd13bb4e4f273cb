// The fake's identity service (identity.xero.com): discovery, the consent step, the token
// endpoint (code exchange; refresh with rotation, the grace window for the previous refresh token
// and ageing out), signed id_tokens and their JWKS, and the bearer check the API uses.
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FakeXeroCall, FakeXeroUser } from '../fake-xero-api.ts';
import { problem, Refusal } from './refusal.ts';

const minute = 60_000;
const day = 24 * 60 * minute;

export interface Grant {
  authEventId: string;
  userId: string;
  scopes: string[];
  refreshToken: string;
  /** Last time the current refresh token was issued or used; ages it out. */
  lastUsedAt: number;
  /** The token replaced by the last rotation, accepted again until graceUntil with the same answer. */
  previous: { refreshToken: string; graceUntil: number; answer: TokenAnswer } | undefined;
  revoked: boolean;
  refreshes: number;
  graceReplays: number;
}

export interface TokenAnswer {
  id_token: string;
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
  refresh_token: string;
  scope: string;
}

interface PendingCode {
  authEventId: string;
  userId: string;
  redirectUri: string;
  scopes: string[];
  nonce: string | undefined;
  expiresAt: number;
}

export interface ConsentSettings {
  decline: boolean;
  /** Tenants the next consents cover; undefined means every organisation. */
  tenantIds: string[] | undefined;
}

/** What the identity service needs from the fake around it. */
export interface IdentityHost {
  clientId: string;
  clientSecret: string;
  identityUrl(): string;
  now(): number;
  user: FakeXeroUser;
  options: { redirectUris?: string[]; graceMs?: number; accessTokenTtlMs?: number; refreshTokenIdleMs?: number };
  consent(): ConsentSettings;
  /** A consent or token issue covers the tenants chosen: record the connections. */
  connect(grant: Grant): void;
}

// One signing key per process: generating RSA keys is slow, and each fake publishes its own JWKS anyway.
let signingKey: { privateKey: KeyObject; jwk: Record<string, unknown> } | undefined;
function key() {
  if (!signingKey) {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    signingKey = { privateKey, jwk: { ...publicKey.export({ format: 'jwk' }), kid: 'fake-xero-1', use: 'sig', alg: 'RS256' } };
  }
  return signingKey;
}

/** The public half of the signing key, as Xero publishes its JWKS. */
export function jwks() {
  return { keys: [key().jwk] };
}

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function signJwt(payload: Record<string, unknown>): string {
  const { privateKey } = key();
  const input = `${b64url(JSON.stringify({ alg: 'RS256', kid: 'fake-xero-1', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

export class IdentityService {
  readonly grants = new Map<string, Grant>();
  readonly refreshIndex = new Map<string, string>();
  readonly accessTokens = new Map<string, { authEventId: string; expiresAt: number }>();
  private codes = new Map<string, PendingCode>();
  private readonly host: IdentityHost;

  constructor(host: IdentityHost) {
    this.host = host;
    key();
  }

  discovery() {
    const base = this.host.identityUrl();
    return {
      issuer: base,
      authorization_endpoint: `${base}/connect/authorize`,
      token_endpoint: `${base}/connect/token`,
      revocation_endpoint: `${base}/connect/revocation`,
      jwks_uri: `${base}/.well-known/openid-configuration/jwks`,
      response_types_supported: ['code'],
      subject_types_supported: ['public'],
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post'],
      grant_types_supported: ['authorization_code', 'refresh_token'],
    };
  }

  authorize(url: URL) {
    const q = url.searchParams;
    const refuse = (why: string) => new Refusal(400, `Xero cannot show the consent page: ${why}`, {}, why);
    if (q.get('client_id') !== this.host.clientId) throw refuse(`unknown client_id "${q.get('client_id') ?? ''}"`);
    if (q.get('response_type') !== 'code') throw refuse('response_type must be code');
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri) throw refuse('redirect_uri is missing');
    if (this.host.options.redirectUris && !this.host.options.redirectUris.includes(redirectUri)) throw refuse(`redirect_uri ${redirectUri} is not registered for this app`);
    const back = new URL(redirectUri);
    const state = q.get('state');
    if (this.host.consent().decline) {
      back.searchParams.set('error', 'access_denied');
      if (state !== null) back.searchParams.set('state', state);
      return { status: 302, body: '', headers: { location: back.toString() } };
    }
    const code = randomBytes(24).toString('hex');
    this.codes.set(code, {
      authEventId: randomUUID(),
      userId: this.host.user.userId,
      redirectUri,
      scopes: (q.get('scope') ?? '').split(' ').filter(Boolean),
      nonce: q.get('nonce') ?? undefined,
      expiresAt: this.host.now() + 5 * minute,
    });
    back.searchParams.set('code', code);
    if (state !== null) back.searchParams.set('state', state);
    back.searchParams.set('scope', q.get('scope') ?? '');
    return { status: 302, body: '', headers: { location: back.toString() } };
  }

  private clientOf(req: IncomingMessage, form: URLSearchParams): { id: string | null; secret: string | null } {
    const auth = req.headers.authorization;
    if (auth?.startsWith('Basic ')) {
      const [id, ...rest] = Buffer.from(auth.slice('Basic '.length), 'base64').toString('utf8').split(':');
      return { id: decodeURIComponent(id ?? ''), secret: decodeURIComponent(rest.join(':')) };
    }
    return { id: form.get('client_id'), secret: form.get('client_secret') };
  }

  /** Revokes the refresh token's authorization (any token gets 200, as RFC 7009 says); the grant it ended, if any. */
  revocation(raw: string, req: IncomingMessage, call: FakeXeroCall): Grant | undefined {
    const form = new URLSearchParams(raw);
    const client = this.clientOf(req, form);
    if (client.id !== this.host.clientId || client.secret !== this.host.clientSecret) throw new Refusal(400, { error: 'invalid_client' }, {}, 'client id or secret wrong');
    const grant = this.grants.get(this.refreshIndex.get(form.get('token') ?? '') ?? '');
    if (!grant) return undefined;
    call.authEventId = grant.authEventId;
    this.revoke(grant);
    return grant;
  }

  token(raw: string, req: IncomingMessage, call: FakeXeroCall) {
    const form = new URLSearchParams(raw);
    const grantType = form.get('grant_type') ?? '';
    call.grantType = grantType;
    const client = this.clientOf(req, form);
    if (client.id !== this.host.clientId || client.secret !== this.host.clientSecret) throw new Refusal(400, { error: 'invalid_client' }, {}, 'client id or secret wrong');
    const invalidGrant = (why: string) => new Refusal(400, { error: 'invalid_grant' }, {}, why);
    if (grantType === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '');
      if (!code) throw invalidGrant('unknown or used code');
      this.codes.delete(form.get('code') ?? '');
      if (code.expiresAt < this.host.now()) throw invalidGrant('code expired');
      if (form.get('redirect_uri') !== code.redirectUri) throw invalidGrant('redirect_uri differs from the authorize request');
      const grant: Grant = { authEventId: code.authEventId, userId: code.userId, scopes: code.scopes, refreshToken: '', lastUsedAt: this.host.now(), previous: undefined, revoked: false, refreshes: 0, graceReplays: 0 };
      this.grants.set(grant.authEventId, grant);
      this.host.connect(grant);
      call.authEventId = grant.authEventId;
      return { status: 200, body: this.issue(grant, code.nonce) };
    }
    if (grantType === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      const grant = this.grants.get(this.refreshIndex.get(presented) ?? '');
      if (!grant) throw invalidGrant('unknown refresh token');
      call.authEventId = grant.authEventId;
      if (grant.revoked) throw invalidGrant('authorization revoked');
      const now = this.host.now();
      if (presented === grant.previous?.refreshToken) {
        if (now > grant.previous.graceUntil) throw invalidGrant('previous refresh token used after the grace window');
        grant.graceReplays += 1;
        return { status: 200, body: grant.previous.answer };
      }
      if (presented !== grant.refreshToken) throw invalidGrant('refresh token already rotated twice');
      if (now - grant.lastUsedAt > (this.host.options.refreshTokenIdleMs ?? 60 * day)) throw invalidGrant('refresh token unused for too long');
      const answer = this.issue(grant, undefined);
      grant.previous = { refreshToken: presented, graceUntil: now + (this.host.options.graceMs ?? 30 * minute), answer };
      grant.refreshes += 1;
      return { status: 200, body: answer };
    }
    throw new Refusal(400, { error: 'unsupported_grant_type' }, {}, `grant_type "${grantType}"`);
  }

  /** A new access and refresh token for the grant; the refresh token before it stops being current. */
  issue(grant: Grant, nonce: string | undefined): TokenAnswer {
    const now = this.host.now();
    const ttl = this.host.options.accessTokenTtlMs ?? 30 * minute;
    const seconds = Math.floor(Date.now() / 1000);
    const accessToken = signJwt({
      iss: this.host.identityUrl(),
      aud: `${this.host.identityUrl()}/resources`,
      client_id: this.host.clientId,
      sub: grant.userId,
      xero_userid: grant.userId,
      authentication_event_id: grant.authEventId,
      jti: randomUUID(),
      iat: seconds,
      exp: seconds + Math.round(ttl / 1000),
      scope: grant.scopes,
    });
    this.accessTokens.set(accessToken, { authEventId: grant.authEventId, expiresAt: now + ttl });
    grant.refreshToken = randomBytes(32).toString('hex');
    grant.lastUsedAt = now;
    this.refreshIndex.set(grant.refreshToken, grant.authEventId);
    // id_token times are wall-clock: the client checks them against its own clock, not ours.
    const idToken = signJwt({
      iss: this.host.identityUrl(),
      aud: this.host.clientId,
      sub: grant.userId,
      iat: seconds,
      nbf: seconds,
      exp: seconds + 300,
      auth_time: seconds,
      at_hash: createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url'),
      xero_userid: grant.userId,
      global_session_id: grant.authEventId,
      preferred_username: this.host.user.email,
      email: this.host.user.email,
      given_name: this.host.user.givenName,
      family_name: this.host.user.familyName,
      ...(nonce ? { nonce } : {}),
    });
    return { id_token: idToken, access_token: accessToken, expires_in: Math.round(ttl / 1000), token_type: 'Bearer', refresh_token: grant.refreshToken, scope: grant.scopes.join(' ') };
  }

  revoke(grant: Grant): void {
    grant.revoked = true;
    for (const [token, owner] of this.accessTokens) if (owner.authEventId === grant.authEventId) this.accessTokens.delete(token);
  }

  /** The bearer token's grant, or Xero's 401. */
  bearer(req: IncomingMessage): Grant {
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
    const owner = this.accessTokens.get(token);
    const unauthorized = (detail: string) => new Refusal(401, problem(401, 'Unauthorized', detail), { 'www-authenticate': 'Bearer error="invalid_token"' }, detail);
    if (!owner) throw unauthorized('AuthenticationUnsuccessful');
    if (owner.expiresAt <= this.host.now()) throw unauthorized(`TokenExpired: token expired at ${new Date(owner.expiresAt).toUTCString()}`);
    const grant = this.grants.get(owner.authEventId);
    if (!grant || grant.revoked) throw unauthorized('AuthenticationUnsuccessful');
    return grant;
  }
}
