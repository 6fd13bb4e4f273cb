// A fake Xero on 127.0.0.1 for tests, benchmarks and `npm run xero:fake`: the identity service
// (dev/fake-xero/identity.ts: authorize, token with rotation and the grace window, discovery,
// JWKS), /connections, and the
// Accounting API per organisation (dev/fake-xero/: books, documents with Xero's validation
// messages, limits, idempotency, schema checks), so the real xero-node client can be pointed at
// it. Controls break it on purpose (dev/fake-xero/controls.ts); every call is recorded, and a
// route it does not fake answers 404 saying so and counts as unexpected, so tests can assert none.
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { accountingRoutes, handleAccounting, type AccountingRoute } from './fake-xero/accounting.ts';
import { OrgBooks, type FakeDocumentKind } from './fake-xero/books.ts';
import { runControl } from './fake-xero/controls.ts';
import { IdempotencyStore } from './fake-xero/idempotency.ts';
import { IdentityService, jwks, type ConsentSettings, type Grant, type TokenAnswer } from './fake-xero/identity.ts';
import { RateLimits, type FakeXeroLimits, type TenantCounters } from './fake-xero/limits.ts';
import { problem, Refusal } from './fake-xero/refusal.ts';

export type { FakeXeroLimits } from './fake-xero/limits.ts';
export type { FakeContact, FakeAccount, FakeTaxRate, FakeDocument, FakeDocumentKind } from './fake-xero/books.ts';
export { OrgBooks } from './fake-xero/books.ts';
export { messages as xeroMessages } from './fake-xero/documents.ts';

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
  /** Writes are refused with 403; reads still answer. */
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
  route: 'authorize' | 'token' | 'revocation' | 'discovery' | 'jwks' | 'connections' | 'delete_connection' | AccountingRoute | 'control' | 'unexpected';
  status: number;
  /** token calls: the grant type. */
  grantType?: string;
  /** token calls: the authorization whose tokens were used or issued. */
  authEventId?: string;
  tenantId?: string;
  /** Set when the response was dropped (or held past the client's patience) after the work was done. */
  lost?: boolean;
  /** Accounting writes: the Idempotency-Key sent, and whether the answer was a replay of an earlier one. */
  idempotencyKey?: string;
  replayed?: boolean;
  /** What the fake said when it refused, for people reading the log. */
  note?: string;
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
  /** Multiplies the rate-limit windows: 0.01 makes a Xero minute last 600 ms (see describeScale()). */
  timeScale?: number;
  /** How long an Idempotency-Key is remembered (default 10 minutes of the fake's clock). */
  idempotencyTtlMs?: number;
  /** Told about every call, after it is answered. */
  onCall?: (call: FakeXeroCall) => void;
}

interface Connection {
  id: string;
  userId: string;
  tenantId: string;
  authEventId: string;
  createdAt: number;
  updatedAt: number;
}

const apiPrefix = '/api.xro/2.0/';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

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
  private identity: IdentityService;
  private connections = new Map<string, Connection>();
  private consent: ConsentSettings = { decline: false, tenantIds: undefined };
  readonly limits: RateLimits;
  private books = new Map<string, OrgBooks>();
  private idempotency: IdempotencyStore;
  private clockOffsetMs = 0;
  private outageUntil = 0;
  private stalls: Array<{ ms: number }> = [];
  private losses: Array<{ route: FakeXeroCall['route'] | undefined; lateMs: number | undefined }> = [];
  private failures: Array<{ status: number }> = [];
  private latency = { ms: 0, jitterMs: 0 };
  /** Accounting calls counted as in progress for their organisation, until answered. */
  private entered = new WeakSet<FakeXeroCall>();

  private constructor(options: FakeXeroOptions) {
    this.options = options;
    this.clientId = options.clientId ?? 'FAKEXEROCLIENT0000000000000000AB';
    this.clientSecret = options.clientSecret ?? 'fake-xero-client-secret-0000000000000000000000';
    this.limits = new RateLimits(options.limits, options.timeScale ?? 1);
    this.idempotency = new IdempotencyStore(options.idempotencyTtlMs ?? 10 * minute);
    this.user = { userId: randomUUID(), email: 'finance@demo.example', givenName: 'Dana', familyName: 'Demo', ...options.user };
    this.identity = new IdentityService({
      clientId: this.clientId,
      clientSecret: this.clientSecret,
      identityUrl: () => this.identityUrl,
      now: () => this.now(),
      user: this.user,
      options,
      consent: () => this.consent,
      connect: (grant) => this.connectTenants(grant),
    });
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
    this.books.set(full.tenantId, new OrgBooks(full.baseCurrency, this.now()));
    return full;
  }

  /** The organisation's contacts, accounts, tax rates, currencies, lock dates and documents, to read or change. */
  booksOf(tenantId: string): OrgBooks {
    const books = this.books.get(tenantId);
    if (!books) throw new Error(`the fake Xero has no organisation ${tenantId}`);
    return books;
  }

  organisationNamed(name: string): FakeXeroOrganisation {
    const org = [...this.organisations.values()].find((o) => o.name === name);
    if (!org) throw new Error(`the fake Xero has no organisation named ${name}`);
    return org;
  }

  /**
   * A token set for a fresh authorization covering `tenantIds` (default: every organisation),
   * without the browser round trip: for benchmarks and tests that are not about consent.
   */
  issueTokens(tenantIds?: string[]): TokenAnswer & { authEventId: string } {
    const grant: Grant = { authEventId: randomUUID(), userId: this.user.userId, scopes: ['openid', 'profile', 'email', 'offline_access', 'accounting.transactions', 'accounting.contacts', 'accounting.settings'], refreshToken: '', lastUsedAt: this.now(), previous: undefined, revoked: false, refreshes: 0, graceReplays: 0 };
    this.identity.grants.set(grant.authEventId, grant);
    const saved = this.consent.tenantIds;
    this.consent.tenantIds = tenantIds;
    this.connectTenants(grant);
    this.consent.tenantIds = saved;
    return { ...this.identity.issue(grant, undefined), authEventId: grant.authEventId };
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
      for (const grant of this.identity.grants.values()) if (grant.userId === connection.userId) this.identity.revoke(grant);
    }
    return true;
  }

  /** Revokes one authorization's tokens: refresh answers invalid_grant, its access tokens 401. */
  revokeTokens(authEventId: string): boolean {
    const grant = this.identity.grants.get(authEventId);
    if (!grant) return false;
    this.identity.revoke(grant);
    return true;
  }

  /** Makes the authorization's refresh token look unused for longer than Xero keeps it. */
  ageOut(authEventId: string): boolean {
    const grant = this.identity.grants.get(authEventId);
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

  /**
   * The next `count` calls (to `route`, or any) do their work, then the connection drops
   * unanswered; with `lateMs`, the answer is held that long instead (past a client's timeout).
   */
  loseNextResponse(count = 1, route?: FakeXeroCall['route'], lateMs?: number): void {
    for (let i = 0; i < count; i++) this.losses.push({ route, lateMs });
  }

  /** The next `count` Accounting API calls answer `status` (5xx) without doing anything. */
  failNext(count: number, status = 503): void {
    for (let i = 0; i < count; i++) this.failures.push({ status });
  }

  /** Every Accounting API call takes `ms` (plus up to `jitterMs`) while counted as in progress. */
  setLatency(ms: number, jitterMs = 0): void {
    this.latency = { ms, jitterMs };
  }

  /** How long one of Xero's minutes lasts in this fake, for people. */
  describeScale(): string {
    return this.limits.describeScale();
  }

  // --- what tests read ----------------------------------------------------------------------

  /** Rotations done for one authorization (grace-window replays not included). */
  refreshCount(authEventId: string): number {
    return this.identity.grants.get(authEventId)?.refreshes ?? 0;
  }

  graceReplays(authEventId: string): number {
    return this.identity.grants.get(authEventId)?.graceReplays ?? 0;
  }

  /** The authorization a refresh token (current or previous) belongs to. */
  authEventOf(refreshToken: string): string | undefined {
    return this.identity.refreshIndex.get(refreshToken);
  }

  connectionsOf(authEventId?: string): Array<Connection & { tenantName: string }> {
    return [...this.connections.values()]
      .filter((c) => authEventId === undefined || c.authEventId === authEventId)
      .map((c) => ({ ...c, tenantName: this.organisations.get(c.tenantId)?.name ?? '?' }));
  }

  /**
   * What tests and benchmarks check, per organisation: calls, the most in progress at once, the
   * most within one (scaled) minute, 429s sent by limit, documents by kind, and duplicates
   * (documents of one kind sharing a number or reference).
   */
  counters(): FakeXeroCounters {
    const byTenant = this.limits.counters();
    const organisations = this.organisationList.map((org) => {
      const books = this.booksOf(org.tenantId);
      const documents: Record<FakeDocumentKind, number> = { invoice: 0, credit_note: 0, payment: 0, bank_transaction: 0 };
      for (const doc of books.documents) documents[doc.kind] += 1;
      const limits = byTenant[org.tenantId] ?? { calls: 0, maxConcurrent: 0, maxPerMinute: 0, tooManyRequests: { minute: 0, day: 0, appminute: 0, concurrent: 0 } };
      return { tenantId: org.tenantId, name: org.name, ...limits, documents, duplicates: books.duplicates() };
    });
    const sum = (pick: (o: (typeof organisations)[number]) => number) => organisations.reduce((total, o) => total + pick(o), 0);
    return {
      timeScale: this.limits.timeScale,
      scale: this.describeScale(),
      limits: { ...this.limits.limits },
      totals: {
        calls: sum((o) => o.calls),
        tooManyRequests: sum((o) => Object.values(o.tooManyRequests).reduce((a, b) => a + b, 0)),
        duplicates: sum((o) => o.duplicates.length),
        replays: this.calls.filter((c) => c.replayed).length,
        maxConcurrent: Math.max(0, ...organisations.map((o) => o.maxConcurrent)),
        maxPerMinute: Math.max(0, ...organisations.map((o) => o.maxPerMinute)),
      },
      organisations,
    };
  }

  /** Starts the counters afresh (data, limits' windows and documents are kept). */
  resetCounters(): void {
    this.limits.resetCounters();
    this.calls.length = 0;
  }

  state(): Record<string, unknown> {
    return {
      organisations: this.organisationList,
      connections: this.connectionsOf(),
      authorizations: [...this.identity.grants.values()].map((g) => ({ authEventId: g.authEventId, revoked: g.revoked, refreshes: g.refreshes, graceReplays: g.graceReplays, lastUsedAt: new Date(g.lastUsedAt).toISOString() })),
      consent: this.consent,
      outage: this.outageUntil > this.now(),
      unexpectedCalls: this.unexpected.length,
      scale: this.describeScale(),
      latency: this.latency,
      pendingFailures: this.failures.length,
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
    let answer: { status: number; body: unknown; headers?: Record<string, string> };
    try {
      // Accounting calls stall inside their pipeline, where they count as in progress.
      const stall = url.pathname.startsWith('/_fake/') || url.pathname.startsWith(apiPrefix) ? undefined : this.stalls.shift();
      if (stall) await sleep(stall.ms);
      answer = await this.route(method, url, raw, req, call);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      answer = error;
      call.note = error.note;
    } finally {
      if (this.entered.has(call)) this.limits.leave(call.tenantId ?? '');
    }
    call.status = answer.status;
    const lossIndex = call.route === 'control' ? -1 : this.losses.findIndex((l) => l.route === undefined || l.route === call.route);
    if (lossIndex >= 0) {
      const [loss] = this.losses.splice(lossIndex, 1);
      call.lost = true;
      this.record(call);
      if (loss?.lateMs === undefined) {
        req.socket.destroy();
        return;
      }
      await sleep(loss.lateMs);
      if (req.socket.destroyed) return;
    } else {
      this.record(call);
    }
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
      return runControl(this, method, path.slice('/_fake/'.length), raw, url.searchParams);
    }
    if (path.startsWith(apiPrefix)) return this.accounting(method, url, raw, req, call);
    if (method === 'GET' && path === '/.well-known/openid-configuration') {
      call.route = 'discovery';
      return { status: 200, body: this.identity.discovery() };
    }
    if (method === 'GET' && path === '/.well-known/openid-configuration/jwks') {
      call.route = 'jwks';
      return { status: 200, body: jwks() };
    }
    const known =
      (method === 'GET' && path === '/connect/authorize' && 'authorize') ||
      (method === 'POST' && path === '/connect/token' && 'token') ||
      (method === 'POST' && path === '/connect/revocation' && 'revocation') ||
      (method === 'GET' && path === '/connections' && 'connections') ||
      (method === 'DELETE' && /^\/connections\/[^/]+$/.test(path) && 'delete_connection');
    if (!known) {
      return { status: 404, body: { error: 'not_faked', message: `The fake Xero does not fake ${method} ${path}. Add the route to dev/fake-xero-api.ts if the bot needs it.` } };
    }
    call.route = known;
    if (this.outageUntil > this.now()) {
      throw new Refusal(503, known === 'token' || known === 'authorize' ? 'Service Unavailable' : problem(503, 'Service Unavailable', 'The Xero API is temporarily unavailable'), { 'retry-after': '30' }, 'outage');
    }
    switch (known) {
      case 'authorize':
        return this.identity.authorize(url);
      case 'token':
        return this.identity.token(raw, req, call);
      case 'revocation': {
        // RFC 7009 as Xero does it: the refresh token's authorization ends and its connections go.
        const grant = this.identity.revocation(raw, req, call);
        if (grant) for (const [id, connection] of this.connections) if (connection.authEventId === grant.authEventId) this.connections.delete(id);
        return { status: 200, body: '' };
      }
      case 'connections':
        return this.listConnections(url, req);
      case 'delete_connection':
        return this.deleteConnection(decodeURIComponent(path.slice('/connections/'.length)), req);
    }
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

  private listConnections(url: URL, req: IncomingMessage) {
    const grant = this.identity.bearer(req);
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
    const grant = this.identity.bearer(req);
    const connection = this.connections.get(id);
    if (!connection || connection.userId !== grant.userId) throw new Refusal(404, problem(404, 'Not Found', `No connection ${id} for this user`), {}, 'unknown connection');
    this.connections.delete(id);
    return { status: 204, body: '' };
  }

  /**
   * One Accounting API call: Xero's order of checks (token, tenant, limits), then the faults asked
   * for, then the work, replayed instead when its Idempotency-Key was seen. Every answer past the
   * limits carries the remaining-calls headers.
   */
  private async accounting(method: string, url: URL, raw: string, req: IncomingMessage, call: FakeXeroCall) {
    const segments = url.pathname.slice(apiPrefix.length).split('/').filter(Boolean).map(decodeURIComponent);
    const route = accountingRoutes[segments[0] as keyof typeof accountingRoutes] as AccountingRoute | undefined;
    if (!route || segments.length > 2) {
      return { status: 404, body: { error: 'not_faked', message: `The fake Xero does not fake ${method} ${url.pathname}. Add the route to dev/fake-xero/accounting.ts if the bot needs it.` } };
    }
    call.route = route;
    if (this.outageUntil > this.now()) throw new Refusal(503, problem(503, 'Service Unavailable', 'The Xero API is temporarily unavailable'), { 'retry-after': '30' }, 'outage');
    const grant = this.identity.bearer(req);
    const tenantId = String(req.headers['xero-tenant-id'] ?? '');
    call.tenantId = tenantId || undefined;
    if (!tenantId) throw new Refusal(400, { Title: 'Bad Request', Status: 400, Detail: 'The xero-tenant-id header is missing' }, {}, 'no xero-tenant-id');
    const connected = [...this.connections.values()].some((c) => c.userId === grant.userId && c.tenantId === tenantId);
    const org = this.organisations.get(tenantId);
    if (!connected || !org) throw new Refusal(403, problem(403, 'Forbidden', 'AuthenticationUnsuccessful'), {}, 'tenant not connected');
    this.limits.enter(tenantId, this.now());
    this.entered.add(call);
    const headers = this.limits.take(tenantId, this.now());
    const stall = this.stalls.shift();
    const delay = (stall?.ms ?? 0) + this.latency.ms + Math.random() * this.latency.jitterMs;
    if (delay > 0) await sleep(delay);
    const failure = this.failures.shift();
    if (failure) throw new Refusal(failure.status, problem(failure.status, 'Service Unavailable', 'The Xero API failed (told to by the fake)'), headers, `failing on purpose (${failure.status})`);
    const work = () => {
      try {
        return handleAccounting({ method, segments, query: url.searchParams, raw, org, books: this.booksOf(tenantId), clock: { now: this.now() } });
      } catch (error) {
        if (error instanceof Refusal) return { status: error.status, body: error.body, note: error.note };
        throw error;
      }
    };
    const key = req.headers['idempotency-key'];
    let answer: { status: number; body: unknown; note?: string | undefined };
    if (typeof key === 'string' && (method === 'PUT' || method === 'POST')) {
      call.idempotencyKey = key;
      const result = this.idempotency.run(tenantId, key, `${method} ${url.pathname}${url.search}\n${raw}`, this.now(), work);
      answer = result.answer;
      call.replayed = result.replayed;
    } else {
      answer = work();
    }
    if (answer.note) call.note = answer.note;
    return { status: answer.status, body: answer.body, headers };
  }
}

export interface FakeXeroCounters {
  timeScale: number;
  /** e.g. "time scale 0.01 (a Xero minute lasts 600 ms, ...)" */
  scale: string;
  limits: FakeXeroLimits;
  totals: { calls: number; tooManyRequests: number; duplicates: number; replays: number; maxConcurrent: number; maxPerMinute: number };
  organisations: Array<
    TenantCounters & {
      tenantId: string;
      name: string;
      documents: Record<FakeDocumentKind, number>;
      duplicates: ReturnType<OrgBooks['duplicates']>;
    }
  >;
}
