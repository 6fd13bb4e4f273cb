// Every repository against a real SQLite file and a real PostgreSQL database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database, type XeroTokenSet } from '../../src/db/index.ts';
import { createTestDatabase, postgresAvailable, rawQuery, type TestDatabase } from './test-databases.ts';

const pgUp = await postgresAvailable();

function tokens(n: number, expiresAt = new Date(Date.now() + 30 * 60_000)): XeroTokenSet {
  return { accessToken: `access-${n}`, refreshToken: `refresh-${n}`, idToken: undefined, expiresAt, scopes: ['accounting.transactions', 'offline_access'] };
}

for (const provider of ['sqlite', 'postgresql'] as const) {
  describe.skipIf(provider === 'postgresql' && !pgUp)(`repositories on ${provider}`, () => {
    let test: TestDatabase;
    let db: Database;

    beforeAll(async () => {
      test = await createTestDatabase(provider);
      db = await openDatabase(test.settings, { warn: () => {} });
    });
    afterAll(async () => {
      await db?.close();
      await test?.drop();
    });

    it('answers ping and reports every migration applied', async () => {
      await db.ping();
      if (provider === 'sqlite') expect(await rawQuery(test, 'PRAGMA journal_mode')).toEqual([{ journal_mode: 'wal' }]);
      const status = await db.migrationStatus();
      expect(status.pending).toEqual([]);
      expect(status.applied.length).toBeGreaterThan(0);
    });

    describe('installations', () => {
      const input = {
        teamId: 'T100',
        teamName: 'Acme',
        enterpriseId: null,
        enterpriseName: null,
        isEnterpriseInstall: false,
        appId: 'A1',
        bot: { id: 'B1', userId: 'UBOT', token: 'xoxb-first', scopes: ['chat:write', 'commands'], refreshToken: null, expiresAt: null },
        installer: { userId: 'U1', token: null, scopes: [], refreshToken: null },
      };

      it('stores, fetches, replaces and deletes a workspace installation', async () => {
        await db.installations.store(input);
        const fetched = await db.installations.fetch({ teamId: 'T100' });
        expect(fetched?.bot).toEqual(input.bot);
        expect(fetched?.teamName).toBe('Acme');

        await db.installations.store({ ...input, bot: { ...input.bot, token: 'xoxb-second' } });
        expect((await db.installations.fetch({ teamId: 'T100' }))?.bot.token).toBe('xoxb-second');

        expect(await db.installations.delete({ teamId: 'T100' })).toBe(true);
        expect(await db.installations.fetch({ teamId: 'T100' })).toBeNull();
        expect(await db.installations.delete({ teamId: 'T100' })).toBe(false);
      });

      it('finds an org-wide installation by enterprise, whatever the workspace', async () => {
        await db.installations.store({ ...input, teamId: null, enterpriseId: 'E1', enterpriseName: 'Org', isEnterpriseInstall: true, bot: { ...input.bot, token: 'xoxb-org' } });
        const fetched = await db.installations.fetch({ teamId: 'T999', enterpriseId: 'E1', isEnterpriseInstall: true });
        expect(fetched?.bot.token).toBe('xoxb-org');
        expect(fetched?.isEnterpriseInstall).toBe(true);
      });
    });

    describe('Xero token sets and connections', () => {
      const base = { slackTeamId: 'T1', tenantName: 'Demo Company', tenantType: 'ORGANISATION', xeroConnectionId: 'xc-1' };
      const newSet = (n: number, expiresAt?: Date, slackTeamId = 'T1') =>
        db.tokenSets.create({ slackTeamId, tokens: tokens(n, expiresAt), connectedBySlackUserId: 'U1', connectedByXeroEmail: 'fin@example.com', authEventId: `auth-${n}` });

      it('stores one token set for several tenants; a reconnect moves a tenant to the new set', async () => {
        const first = await newSet(1);
        const a = await db.connections.upsert({ ...base, tenantId: 'tenant-a', tokenSetId: first.id });
        await db.connections.upsert({ ...base, tenantId: 'tenant-b', tenantName: 'Another Org', tokenSetId: first.id });
        expect((await db.connections.listByTokenSet(first.id)).map((c) => c.tenantName)).toEqual(['Another Org', 'Demo Company']);
        expect(a).toMatchObject({ tokenSetId: first.id, connectedBySlackUserId: 'U1', connectedByXeroEmail: 'fin@example.com', scopes: tokens(1).scopes });

        const second = await newSet(2);
        const again = await db.connections.upsert({ ...base, tenantId: 'tenant-a', tokenSetId: second.id });
        expect(again.id).toBe(a.id);
        expect(again.tokenSetId).toBe(second.id);
        expect((await db.tokenSets.getWithTokens(second.id))?.tokens.accessToken).toBe('access-2');
        // The first set still serves tenant-b, so it stays.
        expect(await db.tokenSets.deleteIfUnused(first.id)).toBe(false);
        await db.connections.upsert({ ...base, tenantId: 'tenant-b', tenantName: 'Another Org', tokenSetId: second.id });
        expect(await db.tokenSets.deleteIfUnused(first.id)).toBe(true);
        const listed = await db.connections.listByTeam('T1');
        expect(listed.map((c) => c.tenantName)).toEqual(['Another Org', 'Demo Company']);
        expect(listed[0]).not.toHaveProperty('tokens');
        expect((await db.connections.findByTenant('T1', 'tenant-a'))?.id).toBe(a.id);
      });

      it('records health, moving statusChangedAt only when the status changes', async () => {
        const c = await db.connections.upsert({ ...base, tenantId: 'tenant-health', tokenSetId: (await newSet(5)).id });
        const t1 = new Date('2030-01-01T00:00:00Z');
        const t2 = new Date('2030-01-01T01:00:00Z');
        const t3 = new Date('2030-01-01T02:00:00Z');
        const expiring = await db.connections.updateHealth(c.id, { status: 'needs_reconnect', reason: 'invalid_grant', checkedAt: t1 });
        expect(expiring).toMatchObject({ status: 'needs_reconnect', statusReason: 'invalid_grant', statusChangedAt: t1, lastCheckedAt: t1 });
        const still = await db.connections.updateHealth(c.id, { status: 'needs_reconnect', reason: 'invalid_grant', checkedAt: t2 });
        expect(still).toMatchObject({ statusChangedAt: t1, lastCheckedAt: t2 });
        const healthy = await db.connections.updateHealth(c.id, { status: 'connected', checkedAt: t3 });
        expect(healthy).toMatchObject({ status: 'connected', statusReason: null, statusChangedAt: t3, lastHealthyAt: t3 });
      });

      it('gives the refresh lease to one holder until it expires or is released', async () => {
        const set = await newSet(6);
        const now = new Date();
        const a = await db.tokenSets.claimRefreshLease(set.id, 'worker-a', 30_000, now);
        expect(a?.tokens.refreshToken).toBe('refresh-6');
        expect(a?.refreshLease?.owner).toBe('worker-a');
        expect(await db.tokenSets.claimRefreshLease(set.id, 'worker-b', 30_000, now)).toBeNull();
        const later = new Date(now.getTime() + 31_000);
        expect((await db.tokenSets.claimRefreshLease(set.id, 'worker-b', 30_000, later))?.refreshLease?.owner).toBe('worker-b');
        expect(await db.tokenSets.releaseRefreshLease(set.id, 'worker-a')).toBe(false);
        expect(await db.tokenSets.releaseRefreshLease(set.id, 'worker-b')).toBe(true);
        expect(await db.tokenSets.claimRefreshLease(set.id, 'worker-c', 30_000, now)).not.toBeNull();
      });

      it('saves rotated tokens only on top of the version they were refreshed from, healing expired connections', async () => {
        const set = await newSet(7);
        const c = await db.connections.upsert({ ...base, tenantId: 'tenant-rotate', tokenSetId: set.id });
        await db.connections.updateHealth(c.id, { status: 'token_expired' });
        const held = await db.tokenSets.claimRefreshLease(set.id, 'w', 30_000);
        const saved = await db.tokenSets.saveRotated(set.id, held!.version, tokens(8));
        expect(saved).toMatchObject({ version: held!.version + 1, refreshLease: null });
        expect(await db.connections.get(c.id)).toMatchObject({ status: 'connected' });
        expect(await db.tokenSets.saveRotated(set.id, held!.version, tokens(9))).toBeNull();
        expect((await db.tokenSets.getWithTokens(set.id))?.tokens.refreshToken).toBe('refresh-8');
      });

      it('rejects a set: its live connections need reconnecting and exactly one claimer gets the notice', async () => {
        const set = await newSet(20);
        const a = await db.connections.upsert({ ...base, tenantId: 'tenant-rej-a', tokenSetId: set.id });
        const b = await db.connections.upsert({ ...base, tenantId: 'tenant-rej-b', tokenSetId: set.id });
        expect((await db.tokenSets.reject(set.id, 'refresh_rejected')).sort()).toEqual([a.id, b.id].sort());
        expect((await db.connections.get(b.id))?.status).toBe('needs_reconnect');
        expect((await db.tokenSets.listAwaitingReconnectNotice()).map((s) => s.id)).toContain(set.id);
        const claims = await Promise.all([1, 2, 3, 4].map(() => db.tokenSets.claimReconnectNotice(set.id)));
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect((await db.tokenSets.listAwaitingReconnectNotice()).map((s) => s.id)).not.toContain(set.id);
        // A rejected set is never saved over: only a reconnect (a new set) helps.
        expect(await db.tokenSets.saveRotated(set.id, set.version, tokens(21))).toBeNull();
      });

      it('retires a set only once none of its connections is live: tokens gone, never due again', async () => {
        const lapsed = new Date(Date.now() - 1000);
        const set = await newSet(30, lapsed, 'T-retire');
        const a = await db.connections.upsert({ ...base, slackTeamId: 'T-retire', tenantId: 'tenant-ret-a', tokenSetId: set.id });
        const b = await db.connections.upsert({ ...base, slackTeamId: 'T-retire', tenantId: 'tenant-ret-b', tokenSetId: set.id });
        await db.connections.updateHealth(a.id, { status: 'disconnected', reason: 'disconnected_by_admin' });
        expect(await db.tokenSets.retire(set.id)).toBe(false);
        expect((await db.tokenSets.getWithTokens(set.id))?.tokens.refreshToken).toBe('refresh-30');
        await db.connections.updateHealth(b.id, { status: 'disconnected', reason: 'disconnected_by_admin' });
        expect(await db.tokenSets.retire(set.id)).toBe(true);
        expect(await db.tokenSets.retire(set.id)).toBe(false);
        expect((await db.tokenSets.get(set.id))?.retiredAt).toBeInstanceOf(Date);
        expect(await db.tokenSets.getWithTokens(set.id)).toBeNull();
        expect(await db.tokenSets.claimRefreshLease(set.id, 'w', 30_000)).toBeNull();
        // Even with a connection marked live again by mistake, a retired set is never due.
        await db.connections.updateHealth(b.id, { status: 'connected' });
        const due = await db.tokenSets.listDue({ accessBefore: new Date(Date.now() + 60_000), issuedBefore: new Date(0) }, { limit: 1000 });
        expect(due.map((s) => s.id)).not.toContain(set.id);
      });

      it('lists sets due for a refresh (access token lapsing or refresh token old), except those needing the user', async () => {
        const soon = new Date(Date.now() + 60_000);
        const due = await newSet(10, soon, 'T-due');
        await db.connections.upsert({ ...base, slackTeamId: 'T-due', tenantId: 'due', tokenSetId: due.id });
        const broken = await newSet(11, soon, 'T-due');
        const brokenConn = await db.connections.upsert({ ...base, slackTeamId: 'T-due', tenantId: 'broken', tokenSetId: broken.id });
        await db.connections.updateHealth(brokenConn.id, { status: 'needs_reconnect' });
        const fresh = await newSet(12, new Date(Date.now() + 3_600_000), 'T-due');
        await db.connections.upsert({ ...base, slackTeamId: 'T-due', tenantId: 'fresh', tokenSetId: fresh.id });
        const unused = await newSet(13, soon, 'T-due');
        const listed = (await db.tokenSets.listDue({ accessBefore: new Date(Date.now() + 5 * 60_000), issuedBefore: new Date(Date.now() - 60_000) })).map((s) => s.id);
        expect(listed).toContain(due.id);
        expect(listed).not.toContain(broken.id);
        expect(listed).not.toContain(fresh.id);
        expect(listed).not.toContain(unused.id);
        // A set whose refresh token is old is due even with a fresh access token.
        const old = (await db.tokenSets.listDue({ accessBefore: new Date(0), issuedBefore: new Date(Date.now() + 60_000) })).map((s) => s.id);
        expect(old).toContain(fresh.id);
      });
    });

    describe('OAuth states', () => {
      it('works once, then reports the link as used', async () => {
        const { nonce, state } = await db.oauthStates.create({ purpose: 'connect', slackTeamId: 'T1', slackUserId: 'U1', channelId: 'C1', threadTs: '1700000000.000100' });
        expect(nonce.length).toBeGreaterThanOrEqual(40);
        const first = await db.oauthStates.consume(nonce);
        expect(first).toEqual({ ok: true, state: expect.objectContaining({ id: state.id, channelId: 'C1', threadTs: '1700000000.000100', usedAt: expect.any(Date) }) });
        expect(await db.oauthStates.consume(nonce)).toEqual({ ok: false, reason: 'already_used' });
        expect(await db.oauthStates.consume('not-a-nonce')).toEqual({ ok: false, reason: 'unknown' });
      });

      it('refuses an expired link and lets it be cleaned up', async () => {
        const created = new Date('2030-01-01T00:00:00Z');
        const { nonce } = await db.oauthStates.create({ purpose: 'reconnect', slackTeamId: 'T1', slackUserId: 'U1', connectionId: null, ttlMs: 60_000 }, created);
        expect(await db.oauthStates.consume(nonce, new Date('2030-01-01T00:02:00Z'))).toEqual({ ok: false, reason: 'expired' });
        expect(await db.oauthStates.deleteExpired(new Date('2030-01-02T00:00:00Z'))).toBeGreaterThanOrEqual(1);
        expect(await db.oauthStates.consume(nonce)).toEqual({ ok: false, reason: 'unknown' });
      });

      it('lets exactly one of many simultaneous callbacks consume a state', async () => {
        const { nonce } = await db.oauthStates.create({ purpose: 'connect', slackTeamId: 'T1', slackUserId: 'U1' });
        const results = await Promise.all(Array.from({ length: 8 }, () => db.oauthStates.consume(nonce)));
        expect(results.filter((r) => r.ok)).toHaveLength(1);
      });
    });

    describe('failed syncs', () => {
      const failure = (n: number, extra: object = {}) => ({
        slackTeamId: 'T-sync',
        externalReference: `EXP-${n}`,
        kind: 'invoice',
        payload: { Type: 'ACCREC', Contact: { Name: 'Acme' }, LineItems: [{ Description: 'Widget', Quantity: n }] },
        errorCode: 'xero-validation-account-code',
        errorMessage: 'Account code 999 is not a valid code for this document.',
        validationMessages: ['Account code 999 is not a valid code for this document.'],
        ...extra,
      });

      it('records a failure with its payload and lists a workspace\'s newest first, by status', async () => {
        const older = await db.failedSyncs.create(failure(1, { occurredAt: new Date('2030-01-01T00:00:00Z') }));
        const newer = await db.failedSyncs.create(failure(2, { occurredAt: new Date('2030-01-02T00:00:00Z'), status: 'queued' }));
        expect(await db.failedSyncs.get(older.id)).toMatchObject({
          status: 'failed',
          attempts: 0,
          payload: failure(1).payload,
          validationMessages: failure(1).validationMessages,
          errorCode: 'xero-validation-account-code',
        });
        const all = await db.failedSyncs.listByTeam('T-sync');
        expect(all.map((f) => f.id).slice(0, 2)).toEqual([newer.id, older.id]);
        expect((await db.failedSyncs.listByTeam('T-sync', { status: 'queued' })).map((f) => f.id)).toEqual([newer.id]);
        expect(await db.failedSyncs.listByTeam('T-other')).toEqual([]);
      });

      it('returns the first record when the same idempotency key is recorded twice', async () => {
        const a = await db.failedSyncs.create(failure(3, { idempotencyKey: 'idem-3' }));
        const b = await db.failedSyncs.create(failure(4, { idempotencyKey: 'idem-3' }));
        expect(b.id).toBe(a.id);
        expect(b.externalReference).toBe('EXP-3');
      });

      it('retries with a lease: claim, fail with backoff, claim again when due, complete', async () => {
        const team = `T-retry-${provider}`;
        const job = await db.failedSyncs.create(failure(5, { slackTeamId: team }));
        expect(await db.failedSyncs.claimDue('w1')).not.toContainEqual(expect.objectContaining({ id: job.id }));
        expect(await db.failedSyncs.queueRetry(job.id)).toBe(true);
        expect(await db.failedSyncs.queueRetry(job.id)).toBe(false);

        const t0 = new Date(Date.now() + 1000);
        const [claimed] = (await db.failedSyncs.claimDue('w1', { now: t0, limit: 50 })).filter((j) => j.id === job.id);
        expect(claimed).toMatchObject({ status: 'retrying', attempts: 1, lease: { owner: 'w1' } });
        expect((await db.failedSyncs.claimDue('w2', { now: t0, limit: 50 })).map((j) => j.id)).not.toContain(job.id);
        expect(await db.failedSyncs.archive(job.id, t0)).toBe(false);

        const failed = await db.failedSyncs.fail(job.id, 'w1', { errorMessage: 'Xero is down', errorCode: 'xero-503' }, t0);
        expect(failed).toMatchObject({ status: 'queued', lease: null, errorMessage: 'Xero is down', attempts: 1 });
        expect(failed!.nextAttemptAt!.getTime()).toBe(t0.getTime() + 30_000);
        expect((await db.failedSyncs.claimDue('w2', { now: new Date(t0.getTime() + 29_000), limit: 50 })).map((j) => j.id)).not.toContain(job.id);

        const t1 = new Date(t0.getTime() + 30_000);
        const again = (await db.failedSyncs.claimDue('w2', { now: t1, limit: 50 })).find((j) => j.id === job.id);
        expect(again).toMatchObject({ attempts: 2, lease: { owner: 'w2' } });
        const second = await db.failedSyncs.fail(job.id, 'w2', { errorMessage: 'still down' }, t1);
        expect(second!.nextAttemptAt!.getTime()).toBe(t1.getTime() + 60_000);

        const t2 = new Date(t1.getTime() + 60_000);
        expect((await db.failedSyncs.claimDue('w3', { now: t2, limit: 50 })).map((j) => j.id)).toContain(job.id);
        expect(await db.failedSyncs.complete(job.id, 'w1', { xeroId: 'wrong-holder' }, t2)).toBe(false);
        expect(await db.failedSyncs.complete(job.id, 'w3', { xeroId: 'inv-123' }, t2)).toBe(true);
        expect(await db.failedSyncs.get(job.id)).toMatchObject({ status: 'synced', xeroId: 'inv-123', syncedAt: t2, lease: null });
      });

      it('gives up after the last attempt, or at once when retrying cannot help', async () => {
        const team = `T-giveup-${provider}`;
        const job = await db.failedSyncs.create(failure(6, { slackTeamId: team, status: 'queued' }));
        let now = new Date(Date.now() + 1000);
        for (let attempt = 1; attempt <= 5; attempt++) {
          const claimed = (await db.failedSyncs.claimDue('w', { now, limit: 100 })).find((j) => j.id === job.id);
          expect(claimed?.attempts).toBe(attempt);
          const after = await db.failedSyncs.fail(job.id, 'w', { errorMessage: `attempt ${attempt} failed` }, now);
          expect(after?.status).toBe(attempt < 5 ? 'queued' : 'failed');
          now = new Date(now.getTime() + 3_600_000);
        }
        const invalid = await db.failedSyncs.create(failure(7, { slackTeamId: team, status: 'queued' }));
        await db.failedSyncs.claimDue('w', { now, limit: 100 });
        const result = await db.failedSyncs.fail(invalid.id, 'w', { errorMessage: 'Contact name is required', validationMessages: ['Contact name is required'], retryable: false }, now);
        expect(result).toMatchObject({ status: 'failed', nextAttemptAt: null, validationMessages: ['Contact name is required'] });
        expect(await db.failedSyncs.archive(invalid.id)).toBe(true);
        expect((await db.failedSyncs.listByTeam(team, { status: ['failed', 'queued'] })).map((j) => j.id)).toEqual([job.id]);
      });

      it('lets a worker renew its lease, and not someone else\'s', async () => {
        const job = await db.failedSyncs.create(failure(8, { slackTeamId: `T-renew-${provider}`, status: 'queued' }));
        const now = new Date(Date.now() + 1000);
        await db.failedSyncs.claimDue('holder', { now, limit: 100, leaseMs: 1000 });
        expect(await db.failedSyncs.renewLease(job.id, 'other', 60_000, now)).toBe(false);
        expect(await db.failedSyncs.renewLease(job.id, 'holder', 60_000, now)).toBe(true);
        expect((await db.failedSyncs.claimDue('other', { now: new Date(now.getTime() + 5000), limit: 100 })).map((j) => j.id)).not.toContain(job.id);
      });
    });

    describe('escalations', () => {
      const input = { slackTeamId: 'T-esc', reporterSlackUserId: 'U-rep', channelId: 'C-rep', threadTs: '1700000000.000200', errorText: 'Invoice INV-0042 failed: Account code 999 is not valid', reportId: 'R-42', occurredAt: new Date('2030-03-01T10:00:00Z'), articleId: 'xero-validation-account-code' };

      it('creates, posts once under a claim, claims once and resolves once, remembering who resolved it', async () => {
        const notes = 'Month-end close is Friday.\nThe CFO is waiting on this one.';
        const e = await db.escalations.create({ ...input, notes });
        expect(e).toMatchObject({ status: 'open', triageMessage: null, postedAt: null, postLease: null, reporterConfirmation: null, resolvedBySlackUserId: null, errorText: input.errorText, notes, reportId: 'R-42' });
        expect((await db.escalations.create({ ...input, errorText: 'No notes' })).notes).toBeNull();

        const held = (await db.escalations.claimUnposted('poster-1', { limit: 100 })).find((x) => x.id === e.id);
        expect(held?.postLease?.owner).toBe('poster-1');
        expect(await db.escalations.markPosted(e.id, 'poster-2', { channelId: 'C-triage', ts: '1700000001.000100' })).toBe(false);
        expect(await db.escalations.markPosted(e.id, 'poster-1', { channelId: 'C-triage', ts: '1700000001.000100' })).toBe(true);
        expect(await db.escalations.markPosted(e.id, 'poster-1', { channelId: 'C-triage', ts: '1700000002.000100' })).toBe(false);
        expect(await db.escalations.recordReporterConfirmation(e.id, { channelId: 'D-rep', ts: '1700000003.000100' })).toBe(true);
        expect(await db.escalations.releasePostLease(e.id, 'poster-2')).toBe(false);
        expect(await db.escalations.releasePostLease(e.id, 'poster-1')).toBe(true);
        expect((await db.escalations.claimUnposted('poster-3', { limit: 100, now: new Date(Date.now() + 3_600_000) })).map((x) => x.id)).not.toContain(e.id);

        const claims = await Promise.all([db.escalations.claim(e.id, 'U-a'), db.escalations.claim(e.id, 'U-b')]);
        expect(claims.filter(Boolean)).toHaveLength(1);
        expect(await db.escalations.resolve(e.id, 'U-resolver')).toBe(true);
        expect(await db.escalations.resolve(e.id, 'U-late')).toBe(false);
        expect(await db.escalations.claim(e.id, 'U-c')).toBe(false);
        expect(await db.escalations.get(e.id)).toMatchObject({
          status: 'resolved',
          assigneeSlackUserId: claims[0] ? 'U-a' : 'U-b',
          resolvedBySlackUserId: 'U-resolver',
          notes,
          triageMessage: { channelId: 'C-triage', ts: '1700000001.000100' },
          reporterConfirmation: { channelId: 'D-rep', ts: '1700000003.000100' },
          postLease: null,
          resolvedAt: expect.any(Date),
        });
      });

      it('never claims the escalations of a skipped workspace', async () => {
        const skipped = await db.escalations.create({ ...input, slackTeamId: `T-skip-${provider}` });
        const other = await db.escalations.create({ ...input, slackTeamId: `T-keep-${provider}` });
        const claimed = (await db.escalations.claimUnposted('poster-skip', { limit: 1_000, skipTeamIds: [`T-skip-${provider}`, 'T-none'] })).map((x) => x.id);
        expect(claimed).toContain(other.id);
        expect(claimed).not.toContain(skipped.id);
        expect((await db.escalations.get(skipped.id))?.postLease).toBeNull();
      });

      it('lists the unresolved ones and a reporter\'s own', async () => {
        const team = `T-esc-list-${provider}`;
        const a = await db.escalations.create({ ...input, slackTeamId: team }, new Date('2030-01-01T00:00:00Z'));
        const b = await db.escalations.create({ ...input, slackTeamId: team, reporterSlackUserId: 'U-other' }, new Date('2030-01-02T00:00:00Z'));
        const c = await db.escalations.create({ ...input, slackTeamId: team }, new Date('2030-01-03T00:00:00Z'));
        await db.escalations.claim(b.id, 'U-agent');
        await db.escalations.resolve(c.id, 'U-agent');
        expect((await db.escalations.listOpen({ slackTeamId: team })).map((x) => x.id)).toEqual([a.id, b.id]);
        expect((await db.escalations.listByReporter(team, 'U-rep')).map((x) => x.id)).toEqual([c.id, a.id]);
      });

      it('keeps an escalation created with a post lease from other claimers until the lease expires', async () => {
        const t0 = new Date(Date.now() + 24 * 3_600_000);
        const e = await db.escalations.create({ ...input, slackTeamId: `T-esc-lease-${provider}`, postLease: { owner: 'request-1', until: new Date(t0.getTime() + 1_000) } });
        expect(e.postLease).toEqual({ owner: 'request-1', until: new Date(t0.getTime() + 1_000) });
        const claimedBy = async (owner: string, now: Date) => (await db.escalations.claimUnposted(owner, { limit: 1_000, leaseMs: 60_000, now })).map((x) => x.id);
        expect(await claimedBy('job-1', t0)).not.toContain(e.id);

        // The request that created it crashed: once its lease has run out the job takes over.
        const t1 = new Date(t0.getTime() + 1_001);
        expect(await claimedBy('job-1', t1)).toContain(e.id);
        expect((await db.escalations.get(e.id))?.postLease).toEqual({ owner: 'job-1', until: new Date(t1.getTime() + 60_000) });
        expect(await claimedBy('job-2', new Date(t1.getTime() + 59_000))).not.toContain(e.id);
        expect(await db.escalations.markPosted(e.id, 'request-1', { channelId: 'C-triage', ts: '1700000010.000100' })).toBe(false);

        // job-1 failed and left its lease to expire: job-2 may try next.
        const t2 = new Date(t1.getTime() + 60_001);
        expect(await claimedBy('job-2', t2)).toContain(e.id);
        expect(await db.escalations.markPosted(e.id, 'job-1', { channelId: 'C-triage', ts: '1700000011.000100' })).toBe(false);
        expect(await db.escalations.recordAttempt(e.id, 'job-1', 'triage', t2)).toBe(false);
        expect(await db.escalations.recordAttempt(e.id, 'job-2', 'triage', t2)).toBe(true);
        expect(await db.escalations.markPosted(e.id, 'job-2', { channelId: 'C-triage', ts: '1700000012.000100' })).toBe(true);
        expect(await db.escalations.get(e.id)).toMatchObject({ postAttemptAt: t2, postedAt: expect.any(Date), triageMessage: { channelId: 'C-triage', ts: '1700000012.000100' } });

        // job-2 died before confirming to the reporter: posted, but still held, so job-3 finishes it.
        const t3 = new Date(t2.getTime() + 60_001);
        expect(await claimedBy('job-3', t3)).toContain(e.id);
        expect(await db.escalations.recordAttempt(e.id, 'job-3', 'confirmation', t3)).toBe(true);
        expect(await db.escalations.releasePostLease(e.id, 'job-3')).toBe(true);
        expect(await db.escalations.get(e.id)).toMatchObject({ postLease: null, confirmationAttemptAt: t3 });
        expect(await claimedBy('job-4', new Date(t3.getTime() + 3_600_000))).not.toContain(e.id);
      });

      it('never gives one escalation to two claimers racing on separate connections', async () => {
        const team = `T-esc-race-${provider}`;
        const created: string[] = [];
        for (let i = 0; i < 60; i++) created.push((await db.escalations.create({ ...input, slackTeamId: team, errorText: `Error ${i}` })).id);
        // A second handle on the same database: its own connections, as another bot instance has.
        const other = await openDatabase(test.settings, { warn: () => {} });
        try {
          const now = new Date(Date.now() + 48 * 3_600_000);
          const claimer = async (handle: Database, owner: string) => {
            const got: string[] = [];
            for (;;) {
              const batch = await handle.escalations.claimUnposted(owner, { limit: 3, leaseMs: 60_000, now });
              if (batch.length === 0) return got;
              got.push(...batch.map((x) => x.id));
            }
          };
          const owners = ['a', 'b', 'c', 'd'];
          const results = await Promise.all(owners.map((owner, i) => claimer(i % 2 ? other : db, `racer-${owner}`)));
          const all = results.flat();
          expect(new Set(all).size, 'an escalation was claimed twice').toBe(all.length);
          expect(all).toEqual(expect.arrayContaining(created));
          for (const [i, ids] of results.entries()) {
            for (const id of ids.filter((x) => created.includes(x))) expect((await db.escalations.get(id))?.postLease?.owner).toBe(`racer-${owners[i]}`);
          }
        } finally {
          await other.close();
        }
      });
    });

    it('records answer feedback and counts it per article', async () => {
      await db.feedback.record({ slackTeamId: 'T1', slackUserId: 'U1', question: 'why did my invoice fail', articleId: 'art-fb', helpful: true });
      await db.feedback.record({ slackTeamId: 'T1', slackUserId: 'U2', question: 'invoice failed', articleId: 'art-fb', helpful: false, channelId: 'C1', messageTs: '1.2' });
      await db.feedback.record({ slackTeamId: 'T1', slackUserId: 'U3', question: 'still failing', articleId: 'art-fb', helpful: true });
      expect(await db.feedback.countsForArticle('art-fb')).toEqual({ helpful: 2, notHelpful: 1 });
    });

    it('keeps one vote per person per answer: pressing twice counts once, a different vote replaces it', async () => {
      const vote = (slackUserId: string, helpful: boolean, question = 'XERO11 on my report') =>
        db.feedback.record({ slackTeamId: 'T1', slackUserId, question, articleId: 'art-vote', helpful });
      expect((await vote('U1', true)).outcome).toBe('counted');
      expect((await vote('U1', true)).outcome).toBe('unchanged');
      expect(await db.feedback.countsForArticle('art-vote')).toEqual({ helpful: 1, notHelpful: 0 });
      const changed = await vote('U1', false);
      expect(changed.outcome).toBe('changed');
      expect(changed.feedback.helpful).toBe(false);
      expect(await db.feedback.countsForArticle('art-vote')).toEqual({ helpful: 0, notHelpful: 1 });
      // Another person, or the same person on another answer, votes separately.
      expect((await vote('U2', true)).outcome).toBe('counted');
      expect((await vote('U1', true, 'XERO11 on the March report')).outcome).toBe('counted');
      expect(await db.feedback.countsForArticle('art-vote')).toEqual({ helpful: 2, notHelpful: 1 });
    });

    it('counts two presses at the same moment by one person as one vote', async () => {
      await Promise.all(
        Array.from({ length: 4 }, () => db.feedback.record({ slackTeamId: 'T1', slackUserId: 'U1', question: 'sync failed', articleId: 'art-race', helpful: true })),
      );
      expect(await db.feedback.countsForArticle('art-race')).toEqual({ helpful: 1, notHelpful: 0 });
    });

    it('reports a Slack event id as new exactly once, and forgets old ones', async () => {
      const results = await Promise.all(Array.from({ length: 6 }, () => db.slackEvents.markProcessed('Ev-dup')));
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await db.slackEvents.markProcessed('Ev-dup')).toBe(false);
      await db.slackEvents.markProcessed('Ev-old', new Date('2020-01-01T00:00:00Z'));
      expect(await db.slackEvents.prune(new Date('2021-01-01T00:00:00Z'))).toBe(1);
      expect(await db.slackEvents.markProcessed('Ev-old')).toBe(true);
      expect(await db.slackEvents.markProcessed('Ev-dup')).toBe(false);
    });

    it('appends audit events and lists them newest first, by workspace and action', async () => {
      const first = await db.audit.append({ actor: 'U1', action: 'escalation.claimed', target: 'esc-1', slackTeamId: 'T-audit', details: { from: 'open' } });
      const second = await db.audit.append({ actor: 'system', action: 'connection.refreshed', target: 'conn-1', slackTeamId: 'T-audit' });
      await db.audit.append({ actor: 'U9', action: 'escalation.claimed', slackTeamId: 'T-elsewhere' });
      expect((await db.audit.list({ slackTeamId: 'T-audit' })).map((e) => e.id)).toEqual([second.id, first.id]);
      expect(await db.audit.list({ slackTeamId: 'T-audit', action: 'escalation.claimed' })).toEqual([
        expect.objectContaining({ actor: 'U1', target: 'esc-1', details: { from: 'open' }, occurredAt: expect.any(Date) }),
      ]);
      expect((await db.audit.list({ slackTeamId: 'T-audit', before: second.id })).map((e) => e.id)).toEqual([first.id]);
    });
  });
}
