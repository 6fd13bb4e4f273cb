// What live diagnosis last found for each failed export, and the one status change it makes on
// its own behalf: an export found already in Xero is recorded as synced (never while a retry
// worker holds it, so the two never both decide).
import type { Prisma } from '../generated/sqlite/client.ts';
import type { DbClient } from '../prisma-client.ts';
import type { FailedSync } from '../../support/records.ts';
import { toFailedSync } from './failed-syncs.ts';
import type { DiagnosableFailures, DiagnosisCause, DiagnosisState, DiagnosisStore, FailureDiagnosis } from '../../support/diagnose-failure.ts';

export interface FailureDiagnosisRepository extends DiagnosisStore, Pick<DiagnosableFailures, 'recordFoundInXero'> {
  /** Exports of one Xero organisation (any workspace's connection to it) waiting for a fix, newest first. */
  waitingForTenant(tenantId: string, limit: number): Promise<FailedSync[]>;
  /**
   * Waiting exports whose cause live data can tell (these knowledge article ids), on a connection,
   * not diagnosed since `diagnosedBefore`: never diagnosed first, then the longest ago.
   */
  dueForDiagnosis(errorCodes: readonly string[], diagnosedBefore: Date, limit: number): Promise<string[]>;
  /** One connection's exports waiting for a fix of this cause (knowledge article id), newest first. */
  waitingForCause(connectionId: string, errorCode: string, limit: number): Promise<FailedSync[]>;
}

type Row = Awaited<ReturnType<DbClient['failedSyncDiagnosis']['findUniqueOrThrow']>>;
type StoredReport = Pick<FailureDiagnosis, 'externalReference' | 'kind' | 'findings' | 'action' | 'restorableContactId'>;

function toDiagnosis(row: Row): FailureDiagnosis {
  const report = row.report as unknown as StoredReport;
  return {
    failedSyncId: row.failedSyncId,
    slackTeamId: row.slackTeamId,
    externalReference: report.externalReference,
    kind: report.kind,
    cause: row.cause as DiagnosisCause,
    state: row.state as DiagnosisState,
    findings: report.findings,
    action: report.action,
    restorableContactId: report.restorableContactId,
    diagnosedAt: row.diagnosedAt,
  };
}

export function createFailureDiagnosisRepository(prisma: DbClient): FailureDiagnosisRepository {
  return {
    async save(diagnosis) {
      const report: StoredReport = { externalReference: diagnosis.externalReference, kind: diagnosis.kind, findings: diagnosis.findings, action: diagnosis.action, restorableContactId: diagnosis.restorableContactId };
      const data = {
        slackTeamId: diagnosis.slackTeamId,
        cause: diagnosis.cause,
        state: diagnosis.state,
        report: report as unknown as Prisma.InputJsonValue,
        diagnosedAt: diagnosis.diagnosedAt,
      };
      await prisma.failedSyncDiagnosis.upsert({ where: { failedSyncId: diagnosis.failedSyncId }, create: { failedSyncId: diagnosis.failedSyncId, ...data }, update: data });
    },

    async get(failedSyncId) {
      const row = await prisma.failedSyncDiagnosis.findUnique({ where: { failedSyncId } });
      return row ? toDiagnosis(row) : null;
    },

    async listByFailedSyncs(ids) {
      if (!ids.length) return [];
      const rows = await prisma.failedSyncDiagnosis.findMany({ where: { failedSyncId: { in: [...ids] } } });
      return rows.map(toDiagnosis);
    },

    async waitingForTenant(tenantId, limit) {
      const rows = await prisma.failedSync.findMany({
        where: { status: { in: ['failed', 'needs_fix'] }, connection: { tenantId } },
        orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
        take: limit,
      });
      return rows.map(toFailedSync);
    },

    async dueForDiagnosis(errorCodes, diagnosedBefore, limit) {
      // Bounded: a sweep works through the backlog a few hundred at a time.
      const waiting = await prisma.failedSync.findMany({
        where: { status: { in: ['failed', 'needs_fix'] }, connectionId: { not: null }, errorCode: { in: [...errorCodes] } },
        orderBy: [{ occurredAt: 'asc' }, { id: 'asc' }],
        take: 500,
        select: { id: true },
      });
      if (!waiting.length) return [];
      const diagnosed = await prisma.failedSyncDiagnosis.findMany({ where: { failedSyncId: { in: waiting.map((w) => w.id) } }, select: { failedSyncId: true, diagnosedAt: true } });
      const lastDiagnosed = new Map(diagnosed.map((d) => [d.failedSyncId, d.diagnosedAt.getTime()]));
      return waiting
        .map((w) => ({ id: w.id, at: lastDiagnosed.get(w.id) ?? 0 }))
        .filter((w) => w.at < diagnosedBefore.getTime())
        .sort((a, b) => a.at - b.at)
        .slice(0, limit)
        .map((w) => w.id);
    },

    async waitingForCause(connectionId, errorCode, limit) {
      const rows = await prisma.failedSync.findMany({
        where: { status: { in: ['failed', 'needs_fix'] }, connectionId, errorCode },
        orderBy: [{ occurredAt: 'desc' }, { id: 'desc' }],
        take: limit,
      });
      return rows.map(toFailedSync);
    },

    async recordFoundInXero(id, xeroId, now) {
      const { count } = await prisma.failedSync.updateMany({
        where: { id, status: { in: ['failed', 'needs_fix', 'queued'] } },
        data: { status: 'synced', xeroId, syncedAt: now, nextAttemptAt: null },
      });
      return count === 1;
    },
  };
}
