// The audit trail: who did what to which thing. Append-only by construction: this repository
// offers no update or delete.
import type { Prisma } from '../generated/sqlite/client.ts';
import type { DbClient } from '../prisma-client.ts';
import type { AuditEvent, AuditEventInput, JsonObject } from '../../support/records.ts';

export interface AuditRepository {
  append(event: AuditEventInput, now?: Date): Promise<AuditEvent>;
  /** Newest first; `before` pages backwards by id. */
  list(options?: { slackTeamId?: string; action?: string; limit?: number; before?: number }): Promise<AuditEvent[]>;
}

type Row = Awaited<ReturnType<DbClient['auditEvent']['findUniqueOrThrow']>>;

function toEvent(row: Row): AuditEvent {
  return {
    id: row.id,
    actor: row.actor,
    action: row.action,
    target: row.target,
    slackTeamId: row.slackTeamId,
    details: row.details as JsonObject,
    occurredAt: row.occurredAt,
  };
}

export function createAuditRepository(prisma: DbClient): AuditRepository {
  return {
    async append(event, now = new Date()) {
      const row = await prisma.auditEvent.create({
        data: {
          actor: event.actor,
          action: event.action,
          target: event.target ?? null,
          slackTeamId: event.slackTeamId ?? null,
          details: (event.details ?? {}) as Prisma.InputJsonValue,
          occurredAt: now,
        },
      });
      return toEvent(row);
    },

    async list(options = {}) {
      const rows = await prisma.auditEvent.findMany({
        where: {
          ...(options.slackTeamId ? { slackTeamId: options.slackTeamId } : {}),
          ...(options.action ? { action: options.action } : {}),
          ...(options.before !== undefined ? { id: { lt: options.before } } : {}),
        },
        orderBy: { id: 'desc' },
        take: options.limit ?? 50,
      });
      return rows.map(toEvent);
    },
  };
}
