// Intake of failed exports from the finance products (HTTP API and `concierge failures import`):
// each record is validated on its own, classified, and stored once. A bad record is rejected with
// its reason and never drops a good neighbour.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AnswerEngine } from '../knowledge/answer-engine.ts';
import type { FailedSync, FailedSyncInput, JsonObject, JsonValue } from './records.ts';
import { classifyFailure } from './classify-failure.ts';

export const MAX_FAILURES_PER_BATCH = 1000;
export const failureKinds = ['invoice', 'bill', 'credit_note', 'payment', 'bank_transaction', 'contact'] as const;

const jsonValue: z.ZodType<JsonValue> = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(jsonValue), z.record(z.string(), jsonValue)]));

export const syncFailureSchema = z
  .object({
    slackTeamId: z.string().regex(/^[TE][A-Z0-9]{2,}$/, 'must be a Slack workspace id such as T0123ABCD'),
    connectionId: z.string().min(1).max(100).optional(),
    tenantId: z.string().min(1).max(100).optional(),
    kind: z.enum(failureKinds),
    reference: z.string().trim().min(1).max(200),
    payload: z.union([z.record(z.string(), jsonValue), z.array(jsonValue)]),
    error: z.object({
      message: z.string().trim().min(1).max(10_000),
      /** Xero's response body as the product received it. */
      xeroBody: jsonValue.optional(),
    }),
    occurredAt: z.iso.datetime({ offset: true }),
    idempotencyKey: z.string().min(8).max(128).optional(),
  })
  .strict()
  .refine((r) => r.connectionId !== undefined || r.tenantId !== undefined, { message: 'give connectionId or tenantId', path: ['connectionId'] });

export type SyncFailureRecord = z.infer<typeof syncFailureSchema>;

export type IntakeResult =
  | { index: number; status: 'accepted'; id: string; errorCode: string | null; duplicate: boolean }
  | { index: number; status: 'rejected'; reason: string };

export interface RecordSyncFailuresDeps {
  engine: AnswerEngine;
  failedSyncs: { createMany(inputs: readonly FailedSyncInput[]): Promise<FailedSync[]> };
  connections: {
    findByTenant(slackTeamId: string, tenantId: string): Promise<{ id: string } | null>;
    get(id: string): Promise<{ id: string; slackTeamId: string; tenantId: string } | null>;
  };
  /** Told about the failures this call stored for the first time (not re-posts), before it answers: alerts. */
  onStored?: (fresh: FailedSync[]) => Promise<void>;
}

/** Says what is wrong with a record in one line: each problem with where it is. */
export function describeRecordProblems(error: z.ZodError): string {
  return error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; ');
}

/** A key stable across re-posts of the same failure: the product's reference, the kind and the organisation. */
export function failureIdempotencyKey(record: SyncFailureRecord): string {
  if (record.idempotencyKey) return record.idempotencyKey;
  const organisation = record.tenantId ? `tenant:${record.tenantId}` : `connection:${record.connectionId}`;
  return createHash('sha256').update(JSON.stringify([record.slackTeamId, organisation, record.kind, record.reference])).digest('hex');
}

/**
 * The workspace's connection a record names. A connectionId must belong to the record's workspace:
 * a product could otherwise file failures against (and later retry into) another customer's Xero.
 * A tenantId not connected (yet) is kept without a connection.
 */
async function resolveConnection(deps: RecordSyncFailuresDeps, r: SyncFailureRecord): Promise<{ connectionId: string | null } | { reason: string }> {
  if (r.connectionId) {
    const connection = await deps.connections.get(r.connectionId);
    if (!connection || connection.slackTeamId !== r.slackTeamId) {
      return { reason: `connectionId: no Xero connection ${r.connectionId} in workspace ${r.slackTeamId}; send the id of one of that workspace's connections, or its tenantId` };
    }
    if (r.tenantId && r.tenantId !== connection.tenantId) {
      return { reason: `tenantId: connection ${r.connectionId} is to Xero tenant ${connection.tenantId}, not ${r.tenantId}; send one of the two` };
    }
    return { connectionId: connection.id };
  }
  const byTenant = await deps.connections.findByTenant(r.slackTeamId, r.tenantId!);
  return { connectionId: byTenant?.id ?? null };
}

type Checked = { index: number; record: SyncFailureRecord } | { index: number; reason: string };

/**
 * Validates and classifies every record, then stores the good ones together in one transaction,
 * so the answer that calls a record accepted is only given once it is stored.
 */
export async function recordSyncFailures(deps: RecordSyncFailuresDeps, inputs: readonly unknown[]): Promise<IntakeResult[]> {
  const checked: Checked[] = inputs.map((input, index) => {
    const parsed = syncFailureSchema.safeParse(input);
    return parsed.success ? { index, record: parsed.data } : { index, reason: describeRecordProblems(parsed.error) };
  });
  // A batch usually comes from one or two organisations: look each up once.
  const lookups = new Map<string, Promise<{ connectionId: string | null } | { reason: string }>>();
  const connectionOf = (r: SyncFailureRecord) => {
    const key = JSON.stringify([r.slackTeamId, r.connectionId ?? null, r.tenantId ?? null]);
    if (!lookups.has(key)) lookups.set(key, resolveConnection(deps, r));
    return lookups.get(key)!;
  };
  for (const [i, c] of checked.entries()) {
    if (!('record' in c)) continue;
    const found = await connectionOf(c.record);
    if ('reason' in found) checked[i] = { index: c.index, reason: found.reason };
  }
  const good = checked.filter((c): c is Extract<Checked, { record: SyncFailureRecord }> => 'record' in c);
  const toStore: FailedSyncInput[] = [];
  for (const { record } of good) {
    const { errorCode, validationMessages } = classifyFailure(deps.engine, record.error);
    const found = (await connectionOf(record)) as { connectionId: string | null };
    toStore.push({
      slackTeamId: record.slackTeamId,
      connectionId: found.connectionId,
      externalReference: record.reference,
      kind: record.kind,
      payload: record.payload as JsonObject | JsonValue[],
      errorCode,
      errorMessage: record.error.message,
      validationMessages,
      occurredAt: new Date(record.occurredAt),
      idempotencyKey: failureIdempotencyKey(record),
    });
  }
  const started = Date.now();
  const stored = await deps.failedSyncs.createMany(toStore);
  const seen = new Set<string>();
  const accepted = new Map<number, IntakeResult>();
  const fresh: FailedSync[] = [];
  good.forEach(({ index }, i) => {
    const row = stored[i]!;
    // The repository hands back the first record for a key already stored: older than this call, or earlier in this batch.
    const duplicate = row.createdAt.getTime() < started || seen.has(row.idempotencyKey);
    seen.add(row.idempotencyKey);
    accepted.set(index, { index, status: 'accepted', id: row.id, errorCode: row.errorCode, duplicate });
    if (!duplicate) fresh.push(row);
  });
  if (fresh.length) await deps.onStored?.(fresh);
  return checked.map((c) => ('reason' in c ? { index: c.index, status: 'rejected', reason: c.reason } : accepted.get(c.index)!));
}
