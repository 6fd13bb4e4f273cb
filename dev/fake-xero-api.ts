// A fake Xero on 127.0.0.1 for tests and `npm run xero:fake`: the identity service (authorize,
// token with rotation and the grace window, discovery, JWKS) and the API (/connections and
// /api.xro/2.0/Organisation with Xero's rate limits and headers), so the real xero-node client
// can be pointed at it. Controls break it on purpose; every call is recorded, and a route it
// does not fake answers 404 saying so and counts as unexpected, so tests can assert none.
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

const minute = 60_000;
const day = 24 * 60 * minute;

export interface FakeXeroOrganisation {
  tenantId: string;
  name: string;
  countryCode: string;
  baseCurrency: string;
  /** Xero's OrganisationStatus; the fake answers what was set (ACTIVE unless told). */
  status: string;
  /** Subscription class: DEMO, TRIAL, STARTER, STANDARD, PREMIUM. */
  subscriptionClass: string;
  /** Writes are refused with 403 (none are faked yet); GET /Organisation still answers. */
  readOnly: boolean;
}

export interface FakeXeroUser {
  userId: string;
  email: string;
  givenName: string;
  familyName: string;
}

export interface FakeXeroCall {
  method: string;
  path: string;
  /** Which faked route answered, or 'unexpected'. */
  route: 'authorize' | 'token' | 'revocation' | 'discovery' | 'jwks' | 'connections' | 'delete_connection' | 'organisation' | 'control' | 'unexpected';
  status: number;
  /** token calls: the grant type. */
  grantType?: string;
  /** token calls: the authorization whose tokens were used or issued. */
  authEventId?: string;
  tenantId?: string;
  /** Set when the response was dropped after the work was done. */
  lost?: boolean;
  /** What the fake said when it refused, for people reading the log. */
  note?: string;
}

export interface FakeXeroLimits {
  /** Per organisation per minute (Xero: 60). */
  minute: number;
  /** Per organisation per day (Xero: 5000). */
  day: number;
  /** Per app across organisations per minute (Xero: 10,000). */
  appMinute: number;
  /** Calls in progress per organisation (Xero: 5). */
  concurrent: number;
}

export interface FakeXeroOptions {
  /** Port on 127.0.0.1 (default 0: any free port). */
  port?: number;
  clientId?: string;
  clientSecret?: string;
  /** Registered redirect URIs; when set, authorize and the code exchange refuse any other. */
  redirectUris?: string[];
  organisations?: Array<Partial<FakeXeroOrganisation> & { name: string }>;
  user?: Partial<FakeXeroUser>;
  /** How long the previous refresh token keeps working after a rotation (Xero: about 30 minutes). */
  graceMs?: number;
  accessTokenTtlMs?: number;
  /** A refresh token unused this long is refused (Xero: 60 days). */
  refreshTokenIdleMs?: number;
  limits?: Partial<FakeXeroLimits>;
  /** Multiplies the rate-limit windows: 0.001 makes a Xero minute last 60 ms. */
  timeScale?: number;
  /** Told about every call, after it is answered. */
  onCall?: (call: FakeXeroCall) => void;
}

interface Grant {
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

interface TokenAnswer {
  id_token: string;
  access_token: string;
  expires_in: number;
  token_type: 'Bearer';
  refresh_token: string;
  scope: string;
}

interface Connection {
  id: string;
  userId: string;
  tenantId: string;
  authEventId: string;
  createdAt: number;
  updatedAt: number;
}

interface PendingCode {
  authEventId: string;
  userId: string;
  redirectUri: string;
  scopes: string[];
  nonce: string | undefined;
  expiresAt: number;
}

interface ConsentSettings {
  decline: boolean;
  /** Tenants the next consents cover; undefined means every organisation. */
  tenantIds: string[] | undefined;
}

class Refusal {
  readonly status: number;
  readonly body: unknown;
  readonly headers: Record<string, string>;
  readonly note: string | undefined;
  constructor(status: number, body: unknown, headers: Record<string, string> = {}, note?: string) {
    this.status = status;
    this.body = body;
    this.headers = headers;
    this.note = note;
  }
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

const b64url = (value: string | Buffer) => Buffer.from(value).toString('base64url');

function signJwt(payload: Record<string, unknown>): string {
  const { privateKey } = key();
  const input = `${b64url(JSON.stringify({ alg: 'RS256', kid: 'fake-xero-1', typ: 'JWT' }))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${sign('sha256', Buffer.from(input), privateKey).toString('base64url')}`;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Xero's problem-details shape for 401 and 403 on the API. */
function problem(status: number, title: string, detail: string) {
  return { Type: null, Title: title, Status: status, Detail: detail, Instance: randomUUID(), Extensions: {} };
}

const msDate = (ms: number) => `/Date(${ms}+0000)/`;
const isoUtc = (ms: number) => new Date(ms).toISOString().replace('Z', '0000');

export class FakeXero {
  readonly calls: FakeXeroCall[] = [];
  readonly clientId: string;
  readonly clientSecret: string;
  port = 0;
  private server: Server;
  private options: FakeXeroOptions;
  private organisations = new Map<string, FakeXeroOrganisation>();
  private user: FakeXeroUser;
  private grants = new Map<string, Grant>();
  private refreshIndex = new Map<string, string>();
  private accessTokens = new Map<string, { authEventId: string; expiresAt: number }>();
  private codes = new Map<string, PendingCode>();
  private connections = new Map<string, Connection>();
  private consent: ConsentSettings = { decline: false, tenantIds: undefined };
  private limits: FakeXeroLimits;
  private clockOffsetMs = 0;
  private outageUntil = 0;
  private stalls: Array<{ ms: number }> = [];
  private losses: Array<{ route: FakeXeroCall['route'] | undefined }> = [];
  private windows = new Map<string, { start: number; count: number }>();
  private inFlight = new Map<string, number>();

  private constructor(options: FakeXeroOptions) {
    this.options = options;
    this.clientId = options.clientId ?? 'FAKEXEROCLIENT0000000000000000AB';
    this.clientSecret = options.clientSecret ?? 'fake-xero-client-secret-0000000000000000000000';
    this.limits = { minute: 60, day: 5000, appMinute: 10_000, concurrent: 5, ...options.limits };
    this.user = { userId: randomUUID(), email: 'finance@demo.example', givenName: 'Dana', familyName: 'Demo', ...options.user };
    for (const org of options.organisations ?? []) this.addOrganisation(org);
    this.server = createServer((req, res) => {
      void this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`fake Xero failed: ${String(error)}`);
      });
    });
  }

  static async start(options: FakeXeroOptions = {}): Promise<FakeXero> {
    const fake = new FakeXero(options);
    key();
    await new Promise<void>((resolve, reject) => {
      fake.server.once('error', reject);
      fake.server.listen(options.port ?? 0, '127.0.0.1', () => {
        fake.server.off('error', reject);
        resolve();
      });
    });
    fake.port = (fake.server.address() as AddressInfo).port;
    return fake;
  }

  get identityUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Xero serves the API and the identity service from two hosts; the fake serves both. */
  get apiUrl(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Calls to routes the fake does not know. Tests assert this stays empty. */
  get unexpected(): FakeXeroCall[] {
    return this.calls.filter((c) => c.route === 'unexpected');
  }

  callsTo(route: FakeXeroCall['route']): FakeXeroCall[] {
    return this.calls.filter((c) => c.route === route);
  }

  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  // --- set-up -------------------------------------------------------------------------------

  addOrganisation(org: Partial<FakeXeroOrganisation> & { name: string }): FakeXeroOrganisation {
    const full: FakeXeroOrganisation = {
      tenantId: org.tenantId ?? randomUUID(),
      countryCode: 'NZ',
      baseCurrency: 'NZD',
      status: 'ACTIVE',
      subscriptionClass: 'STANDARD',
      readOnly: false,
      ...org,
    };
    this.organisations.set(full.tenantId, full);
    return full;
  }

  get organisationList(): FakeXeroOrganisation[] {
    return [...this.organisations.values()];
  }

  /** How the next consents answer: decline them, or cover only these tenants. */
  setConsent(settings: Partial<ConsentSettings>): void {
    this.consent = { ...this.consent, ...settings };
  }

  // --- controls -----------------------------------------------------------------------------

  /** Moves the fake's clock (token lifetimes, grace, ageing, rate windows) forward. */
  advanceTime(ms: number): void {
    this.clockOffsetMs += ms;
  }

  /** The user disconnects an organisation in Xero. The last one gone revokes the user's tokens, as Xero does. */
  revokeConnection(connectionId: string): boolean {
    const connection = this.connections.get(connectionId);
    if (!connection) return false;
    this.connections.delete(connectionId);
    if (![...this.connections.values()].some((c) => c.userId === connection.userId)) {
      for (const grant of this.grants.values()) if (grant.userId === connection.userId) this.revokeGrant(grant);
    }
    return true;
  }

  /** Revokes one authorization's tokens: refresh answers invalid_grant, its access tokens 401. */
  revokeTokens(authEventId: string): boolean {
    const grant = this.grants.get(authEventId);
    if (!grant) return false;
    this.revokeGrant(grant);
    return true;
  }

  /** Makes the authorization's refresh token look unused for longer than Xero keeps it. */
  ageOut(authEventId: string): boolean {
    const grant = this.grants.get(authEventId);
    if (!grant) return false;
    grant.lastUsedAt = this.now() - (this.options.refreshTokenIdleMs ?? 60 * day) - 1;
    if (grant.previous) grant.previous.graceUntil = 0;
    return true;
  }

  setOrganisation(tenantId: string, changes: Partial<Pick<FakeXeroOrganisation, 'status' | 'readOnly' | 'subscriptionClass' | 'name'>>): boolean {
    const org = this.organisations.get(tenantId);
    if (!org) return false;
    Object.assign(org, changes);
    return true;
  }

  /** Every faked route answers 503 for `ms` of the fake's clock (0 ends an outage). */
  unavailable(ms: number): void {
    this.outageUntil = ms > 0 ? this.now() + ms : 0;
  }

  /** Holds each of the next `count` responses for `ms` before answering. */
  stallNext(count: number, ms: number): void {
    for (let i = 0; i < count; i++) this.stalls.push({ ms });
  }

  /** The next `count` calls (to `route`, or any) do their work, then the connection drops unanswered. */
  loseNextResponse(count = 1, route?: FakeXeroCall['route']): void {
    for (let i = 0; i < count; i++) this.losses.push({ route });
  }

  // --- what tests read ----------------------------------------------------------------------

  /** Rotations done for one authorization (grace-window replays not included). */
  refreshCount(authEventId: string): number {
    return this.grants.get(authEventId)?.refreshes ?? 0;
  }

  graceReplays(authEventId: string): number {
    return this.grants.get(authEventId)?.graceReplays ?? 0;
  }

  /** The authorization a refresh token (current or previous) belongs to. */
  authEventOf(refreshToken: string): string | undefined {
    return this.refreshIndex.get(refreshToken);
  }

  connectionsOf(authEventId?: string): Array<Connection & { tenantName: string }> {
    return [...this.connections.values()]
      .filter((c) => authEventId === undefined || c.authEventId === authEventId)
      .map((c) => ({ ...c, tenantName: this.organisations.get(c.tenantId)?.name ?? '?' }));
  }

  state(): Record<string, unknown> {
    return {
      organisations: this.organisationList,
      connections: this.connectionsOf(),
      authorizations: [...this.grants.values()].map((g) => ({ authEventId: g.authEventId, revoked: g.revoked, refreshes: g.refreshes, graceReplays: g.graceReplays, lastUsedAt: new Date(g.lastUsedAt).toISOString() })),
      consent: this.consent,
      outage: this.outageUntil > this.now(),
      unexpectedCalls: this.unexpected.length,
    };
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // --- HTTP ---------------------------------------------------------------------------------

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.identityUrl);
    const raw = await readBody(req);
    const method = req.method ?? 'GET';
    const call: FakeXeroCall = { method, path: url.pathname, route: 'unexpected', status: 0 };
    // Counted for the whole call, stall included, so Xero's concurrent limit sees slow calls overlap.
    const tenantId = url.pathname.startsWith('/api.xro/') ? String(req.headers['xero-tenant-id'] ?? '') : '';
    if (tenantId) this.inFlight.set(tenantId, (this.inFlight.get(tenantId) ?? 0) + 1);
    let answer: { status: number; body: unknown; headers?: Record<string, string> };
    try {
      const stall = url.pathname.startsWith('/_fake/') ? undefined : this.stalls.shift();
      if (stall) await new Promise((resolve) => setTimeout(resolve, stall.ms));
      answer = await this.route(method, url, raw, req, call);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      answer = error;
      call.note = error.note;
    } finally {
      if (tenantId) this.inFlight.set(tenantId, (this.inFlight.get(tenantId) ?? 1) - 1);
    }
    call.status = answer.status;
    const lossIndex = call.route === 'control' ? -1 : this.losses.findIndex((l) => l.route === undefined || l.route === call.route);
    if (lossIndex >= 0) {
      this.losses.splice(lossIndex, 1);
      call.lost = true;
      this.record(call);
      req.socket.destroy();
      return;
    }
    this.record(call);
    const headers = { ...answer.headers };
    if (answer.status === 302 || answer.status === 204) {
      res.writeHead(answer.status, headers).end();
    } else if (typeof answer.body === 'string') {
      res.writeHead(answer.status, { 'content-type': 'text/plain; charset=utf-8', ...headers }).end(answer.body);
    } else {
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(answer.body));
    }
  }

  private record(call: FakeXeroCall): void {
    this.calls.push(call);
    this.options.onCall?.(call);
  }

  private async route(method: string, url: URL, raw: string, req: IncomingMessage, call: FakeXeroCall) {
    const path = url.pathname;
    if (path.startsWith('/_fake/')) {
      call.route = 'control';
      return this.control(method, path.slice('/_fake/'.length), raw);
    }
    if (method === 'GET' && path === '/.well-known/openid-configuration') {
      call.route = 'discovery';
      return { status: 200, body: this.discovery() };
    }
    if (method === 'GET' && path === '/.well-known/openid-configuration/jwks') {
      call.route = 'jwks';
      return { status: 200, body: { keys: [key().jwk] } };
    }
    const known =
      (method === 'GET' && path === '/connect/authorize' && 'authorize') ||
      (method === 'POST' && path === '/connect/token' && 'token') ||
      (method === 'POST' && path === '/connect/revocation' && 'revocation') ||
      (method === 'GET' && path === '/connections' && 'connections') ||
      (method === 'DELETE' && /^\/connections\/[^/]+$/.test(path) && 'delete_connection') ||
      (method === 'GET' && path === '/api.xro/2.0/Organisation' && 'organisation');
    if (!known) {
      return { status: 404, body: { error: 'not_faked', message: `The fake Xero does not fake ${method} ${path}. Add the route to dev/fake-xero-api.ts if the bot needs it.` } };
    }
    call.route = known;
    if (this.outageUntil > this.now()) {
      throw new Refusal(503, known === 'token' || known === 'authorize' ? 'Service Unavailable' : problem(503, 'Service Unavailable', 'The Xero API is temporarily unavailable'), { 'retry-after': '30' }, 'outage');
    }
    switch (known) {
      case 'authorize':
        return this.authorize(url);
      case 'token':
        return this.token(raw, req, call);
      case 'revocation':
        return this.revocation(raw, req, call);
      case 'connections':
        return this.listConnections(url, req);
      case 'delete_connection':
        return this.deleteConnection(decodeURIComponent(path.slice('/connections/'.length)), req);
      case 'organisation':
        return this.organisation(req, call);
    }
  }

  private discovery() {
    const base = this.identityUrl;
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

  private authorize(url: URL) {
    const q = url.searchParams;
    const refuse = (why: string) => new Refusal(400, `Xero cannot show the consent page: ${why}`, {}, why);
    if (q.get('client_id') !== this.clientId) throw refuse(`unknown client_id "${q.get('client_id') ?? ''}"`);
    if (q.get('response_type') !== 'code') throw refuse('response_type must be code');
    const redirectUri = q.get('redirect_uri');
    if (!redirectUri) throw refuse('redirect_uri is missing');
    if (this.options.redirectUris && !this.options.redirectUris.includes(redirectUri)) throw refuse(`redirect_uri ${redirectUri} is not registered for this app`);
    const back = new URL(redirectUri);
    const state = q.get('state');
    if (this.consent.decline) {
      back.searchParams.set('error', 'access_denied');
      if (state !== null) back.searchParams.set('state', state);
      return { status: 302, body: '', headers: { location: back.toString() } };
    }
    const code = randomBytes(24).toString('hex');
    this.codes.set(code, {
      authEventId: randomUUID(),
      userId: this.user.userId,
      redirectUri,
      scopes: (q.get('scope') ?? '').split(' ').filter(Boolean),
      nonce: q.get('nonce') ?? undefined,
      expiresAt: this.now() + 5 * minute,
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

  private token(raw: string, req: IncomingMessage, call: FakeXeroCall) {
    const form = new URLSearchParams(raw);
    const grantType = form.get('grant_type') ?? '';
    call.grantType = grantType;
    const client = this.clientOf(req, form);
    if (client.id !== this.clientId || client.secret !== this.clientSecret) throw new Refusal(400, { error: 'invalid_client' }, {}, 'client id or secret wrong');
    const invalidGrant = (why: string) => new Refusal(400, { error: 'invalid_grant' }, {}, why);
    if (grantType === 'authorization_code') {
      const code = this.codes.get(form.get('code') ?? '');
      if (!code) throw invalidGrant('unknown or used code');
      this.codes.delete(form.get('code') ?? '');
      if (code.expiresAt < this.now()) throw invalidGrant('code expired');
      if (form.get('redirect_uri') !== code.redirectUri) throw invalidGrant('redirect_uri differs from the authorize request');
      const grant: Grant = { authEventId: code.authEventId, userId: code.userId, scopes: code.scopes, refreshToken: '', lastUsedAt: this.now(), previous: undefined, revoked: false, refreshes: 0, graceReplays: 0 };
      this.grants.set(grant.authEventId, grant);
      this.connectTenants(grant);
      call.authEventId = grant.authEventId;
      return { status: 200, body: this.issue(grant, code.nonce) };
    }
    if (grantType === 'refresh_token') {
      const presented = form.get('refresh_token') ?? '';
      const grant = this.grants.get(this.refreshIndex.get(presented) ?? '');
      if (!grant) throw invalidGrant('unknown refresh token');
      call.authEventId = grant.authEventId;
      if (grant.revoked) throw invalidGrant('authorization revoked');
      const now = this.now();
      if (presented === grant.previous?.refreshToken) {
        if (now > grant.previous.graceUntil) throw invalidGrant('previous refresh token used after the grace window');
        grant.graceReplays += 1;
        return { status: 200, body: grant.previous.answer };
      }
      if (presented !== grant.refreshToken) throw invalidGrant('refresh token already rotated twice');
      if (now - grant.lastUsedAt > (this.options.refreshTokenIdleMs ?? 60 * day)) throw invalidGrant('refresh token unused for too long');
      const answer = this.issue(grant, undefined);
      grant.previous = { refreshToken: presented, graceUntil: now + (this.options.graceMs ?? 30 * minute), answer };
      grant.refreshes += 1;
      return { status: 200, body: answer };
    }
    throw new Refusal(400, { error: 'unsupported_grant_type' }, {}, `grant_type "${grantType}"`);
  }

  /** A new access and refresh token for the grant; the refresh token before it stops being current. */
  private issue(grant: Grant, nonce: string | undefined): TokenAnswer {
    const now = this.now();
    const ttl = this.options.accessTokenTtlMs ?? 30 * minute;
    const seconds = Math.floor(Date.now() / 1000);
    const accessToken = signJwt({
      iss: this.identityUrl,
      aud: `${this.identityUrl}/resources`,
      client_id: this.clientId,
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
      iss: this.identityUrl,
      aud: this.clientId,
      sub: grant.userId,
      iat: seconds,
      nbf: seconds,
      exp: seconds + 300,
      auth_time: seconds,
      at_hash: createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url'),
      xero_userid: grant.userId,
      global_session_id: grant.authEventId,
      preferred_username: this.user.email,
      email: this.user.email,
      given_name: this.user.givenName,
      family_name: this.user.familyName,
      ...(nonce ? { nonce } : {}),
    });
    return { id_token: idToken, access_token: accessToken, expires_in: Math.round(ttl / 1000), token_type: 'Bearer', refresh_token: grant.refreshToken, scope: grant.scopes.join(' ') };
  }

  private connectTenants(grant: Grant): void {
    const now = this.now();
    const tenantIds = this.consent.tenantIds ?? [...this.organisations.keys()];
    for (const tenantId of tenantIds) {
      const existing = [...this.connections.values()].find((c) => c.userId === grant.userId && c.tenantId === tenantId);
      if (existing) Object.assign(existing, { authEventId: grant.authEventId, updatedAt: now });
      else {
        const id = randomUUID();
        this.connections.set(id, { id, userId: grant.userId, tenantId, authEventId: grant.authEventId, createdAt: now, updatedAt: now });
      }
    }
  }

  /** RFC 7009 as Xero does it: the refresh token's authorization ends and its connections go; any token gets 200. */
  private revocation(raw: string, req: IncomingMessage, call: FakeXeroCall) {
    const form = new URLSearchParams(raw);
    const client = this.clientOf(req, form);
    if (client.id !== this.clientId || client.secret !== this.clientSecret) throw new Refusal(400, { error: 'invalid_client' }, {}, 'client id or secret wrong');
    const grant = this.grants.get(this.refreshIndex.get(form.get('token') ?? '') ?? '');
    if (grant) {
      call.authEventId = grant.authEventId;
      this.revokeGrant(grant);
      for (const [id, connection] of this.connections) if (connection.authEventId === grant.authEventId) this.connections.delete(id);
    }
    return { status: 200, body: '' };
  }

  private revokeGrant(grant: Grant): void {
    grant.revoked = true;
    for (const [token, owner] of this.accessTokens) if (owner.authEventId === grant.authEventId) this.accessTokens.delete(token);
  }

  /** The bearer token's grant, or Xero's 401. */
  private bearer(req: IncomingMessage): Grant {
    const auth = req.headers.authorization ?? '';
    const token = auth.startsWith('Bearer ') ? auth.slice('Bearer '.length) : '';
    const owner = this.accessTokens.get(token);
    const unauthorized = (detail: string) => new Refusal(401, problem(401, 'Unauthorized', detail), { 'www-authenticate': 'Bearer error="invalid_token"' }, detail);
    if (!owner) throw unauthorized('AuthenticationUnsuccessful');
    if (owner.expiresAt <= this.now()) throw unauthorized(`TokenExpired: token expired at ${new Date(owner.expiresAt).toUTCString()}`);
    const grant = this.grants.get(owner.authEventId);
    if (!grant || grant.revoked) throw unauthorized('AuthenticationUnsuccessful');
    return grant;
  }

  private listConnections(url: URL, req: IncomingMessage) {
    const grant = this.bearer(req);
    const filter = url.searchParams.get('authEventId');
    const body = [...this.connections.values()]
      .filter((c) => c.userId === grant.userId && (!filter || c.authEventId === filter))
      .map((c) => {
        const org = this.organisations.get(c.tenantId);
        return { id: c.id, authEventId: c.authEventId, tenantId: c.tenantId, tenantType: 'ORGANISATION', tenantName: org?.name ?? '', createdDateUtc: isoUtc(c.createdAt), updatedDateUtc: isoUtc(c.updatedAt) };
      });
    return { status: 200, body };
  }

  private deleteConnection(id: string, req: IncomingMessage) {
    const grant = this.bearer(req);
    const connection = this.connections.get(id);
    if (!connection || connection.userId !== grant.userId) throw new Refusal(404, problem(404, 'Not Found', `No connection ${id} for this user`), {}, 'unknown connection');
    this.connections.delete(id);
    return { status: 204, body: '' };
  }

  private organisation(req: IncomingMessage, call: FakeXeroCall) {
    const grant = this.bearer(req);
    const tenantId = String(req.headers['xero-tenant-id'] ?? '');
    call.tenantId = tenantId;
    if (!tenantId) throw new Refusal(400, { Title: 'Bad Request', Status: 400, Detail: 'The xero-tenant-id header is missing' }, {}, 'no xero-tenant-id');
    const connected = [...this.connections.values()].some((c) => c.userId === grant.userId && c.tenantId === tenantId);
    const org = this.organisations.get(tenantId);
    if (!connected || !org) throw new Refusal(403, problem(403, 'Forbidden', 'AuthenticationUnsuccessful'), {}, 'tenant not connected');
    if ((this.inFlight.get(tenantId) ?? 0) > this.limits.concurrent) {
      throw new Refusal(429, { Title: 'Too Many Requests', Status: 429, Detail: 'Concurrent request limit exceeded' }, { 'retry-after': '1', 'x-rate-limit-problem': 'concurrent' }, 'concurrent limit');
    }
    const headers = this.takeRateLimit(tenantId);
    const created = this.now() - 400 * day;
    return {
      status: 200,
      headers,
      body: {
        Id: randomUUID(),
        Status: 'OK',
        ProviderName: 'xero-concierge',
        DateTimeUTC: msDate(this.now()),
        Organisations: [
          {
            APIKey: randomBytes(15).toString('hex').toUpperCase(),
            Name: org.name,
            LegalName: org.name,
            PaysTax: true,
            Version: org.countryCode === 'NZ' || org.countryCode === 'AU' || org.countryCode === 'UK' || org.countryCode === 'US' ? org.countryCode : 'GLOBAL',
            OrganisationType: 'COMPANY',
            BaseCurrency: org.baseCurrency,
            CountryCode: org.countryCode,
            IsDemoCompany: org.subscriptionClass === 'DEMO',
            OrganisationStatus: org.status,
            FinancialYearEndDay: 31,
            FinancialYearEndMonth: 3,
            SalesTaxBasis: 'PAYMENTS',
            SalesTaxPeriod: 'TWOMONTHS',
            DefaultSalesTax: 'Tax Exclusive',
            DefaultPurchasesTax: 'Tax Exclusive',
            CreatedDateUTC: `/Date(${created})/`,
            OrganisationEntityType: 'COMPANY',
            Timezone: 'NEWZEALANDSTANDARDTIME',
            ShortCode: `!${org.tenantId.slice(0, 5)}`,
            OrganisationID: org.tenantId,
            Edition: 'BUSINESS',
            Class: org.subscriptionClass,
            Addresses: [],
            Phones: [],
            ExternalLinks: [],
            PaymentTerms: {},
          },
        ],
      },
    };
  }

  /** Counts one API call against Xero's limits; the headers to send, or a 429. */
  private takeRateLimit(tenantId: string): Record<string, string> {
    const scale = this.options.timeScale ?? 1;
    const now = this.now();
    const counter = (name: string, windowMs: number) => {
      let w = this.windows.get(name);
      if (!w || now - w.start >= windowMs * scale) {
        w = { start: now, count: 0 };
        this.windows.set(name, w);
      }
      return { w, retryAfter: String(Math.max(1, Math.ceil((w.start + windowMs * scale - now) / 1000))) };
    };
    const checks = [
      { problem: 'day', limit: this.limits.day, ...counter(`day:${tenantId}`, day) },
      { problem: 'appminute', limit: this.limits.appMinute, ...counter('appminute', minute) },
      { problem: 'minute', limit: this.limits.minute, ...counter(`minute:${tenantId}`, minute) },
    ] as const;
    const remaining = () => ({
      'x-daylimit-remaining': String(Math.max(0, checks[0].limit - checks[0].w.count)),
      'x-appminlimit-remaining': String(Math.max(0, checks[1].limit - checks[1].w.count)),
      'x-minlimit-remaining': String(Math.max(0, checks[2].limit - checks[2].w.count)),
    });
    const hit = checks.find((c) => c.w.count >= c.limit);
    if (hit) {
      throw new Refusal(429, { Title: 'Too Many Requests', Status: 429, Detail: `Rate limit exceeded: ${hit.problem}` }, { ...remaining(), 'retry-after': hit.retryAfter, 'x-rate-limit-problem': hit.problem }, `${hit.problem} limit`);
    }
    for (const c of checks) c.w.count += 1;
    return remaining();
  }

  // --- controls over HTTP, for the dev CLI ----------------------------------------------------

  private control(method: string, name: string, raw: string) {
    if (method === 'GET' && name === 'state') return { status: 200, body: this.state() };
    if (method !== 'POST') throw new Refusal(405, { error: 'use POST with a JSON body' });
    let input: Record<string, unknown>;
    try {
      input = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      throw new Refusal(400, { error: 'the body is not JSON' });
    }
    const str = (field: string) => {
      const value = input[field];
      if (typeof value !== 'string' || !value) throw new Refusal(400, { error: `"${field}" (a string) is required` });
      return value;
    };
    const num = (field: string, fallback?: number) => {
      const value = input[field] ?? fallback;
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new Refusal(400, { error: `"${field}" (a number, 0 or more) is required` });
      return value;
    };
    const found = (ok: boolean, what: string) => {
      if (!ok) throw new Refusal(404, { error: `no such ${what}` });
      return { status: 200, body: { ok: true } };
    };
    switch (name) {
      case 'revoke-connection':
        return found(this.revokeConnection(str('connectionId')), 'connection');
      case 'revoke-tokens':
        return found(this.revokeTokens(str('authEventId')), 'authorization');
      case 'age-out':
        return found(this.ageOut(str('authEventId')), 'authorization');
      case 'organisation': {
        const changes: Parameters<FakeXero['setOrganisation']>[1] = {};
        if (typeof input.status === 'string') changes.status = input.status;
        if (typeof input.readOnly === 'boolean') changes.readOnly = input.readOnly;
        if (typeof input.subscriptionClass === 'string') changes.subscriptionClass = input.subscriptionClass;
        return found(this.setOrganisation(str('tenantId'), changes), 'organisation');
      }
      case 'outage':
        this.unavailable(num('ms'));
        return { status: 200, body: { ok: true } };
      case 'stall':
        this.stallNext(num('count', 1), num('ms'));
        return { status: 200, body: { ok: true } };
      case 'lose-response':
        this.loseNextResponse(num('count', 1), typeof input.route === 'string' ? (input.route as FakeXeroCall['route']) : undefined);
        return { status: 200, body: { ok: true } };
      case 'consent':
        this.setConsent({
          ...(typeof input.decline === 'boolean' ? { decline: input.decline } : {}),
          ...(Array.isArray(input.tenantIds) ? { tenantIds: input.tenantIds.map(String) } : input.tenantIds === null ? { tenantIds: undefined } : {}),
        });
        return { status: 200, body: { ok: true } };
      case 'advance-time':
        this.advanceTime(num('ms'));
        return { status: 200, body: { ok: true } };
      default:
        throw new Refusal(404, { error: `no control "${name}": use revoke-connection, revoke-tokens, age-out, organisation, outage, stall, lose-response, consent, advance-time, or GET state` });
    }
  }
}
