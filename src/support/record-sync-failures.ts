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
  failedSyncs: { create(input: FailedSyncInput): Promise<FailedSync> };
  connections: { findByTenant(slackTeamId: string, tenantId: string): Promise<{ id: string } | null> };
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

/** Validates, classifies and stores one record; `input` is anything the client sent. */
export async function recordSyncFailure(deps: RecordSyncFailuresDeps, input: unknown, index: number): Promise<IntakeResult> {
  const parsed = syncFailureSchema.safeParse(input);
  if (!parsed.success) return { index, status: 'rejected', reason: describeRecordProblems(parsed.error) };
  const record = parsed.data;
  let connectionId = record.connectionId ?? null;
  if (!connectionId && record.tenantId) connectionId = (await deps.connections.findByTenant(record.slackTeamId, record.tenantId))?.id ?? null;
  const { errorCode, validationMessages } = classifyFailure(deps.engine, record.error);
  const idempotencyKey = failureIdempotencyKey(record);
  const started = Date.now();
  const stored = await deps.failedSyncs.create({
    slackTeamId: record.slackTeamId,
    connectionId,
    externalReference: record.reference,
    kind: record.kind,
    payload: record.payload as JsonObject | JsonValue[],
    errorCode,
    errorMessage: record.error.message,
    validationMessages,
    occurredAt: new Date(record.occurredAt),
    idempotencyKey,
  });
  // The repository hands back the first record for a key already stored, which is older than this call.
  return { index, status: 'accepted', id: stored.id, errorCode: stored.errorCode, duplicate: stored.createdAt.getTime() < started };
}

/** Records in order, one at a time, so each is stored before the answer names it accepted. */
export async function recordSyncFailures(deps: RecordSyncFailuresDeps, inputs: readonly unknown[]): Promise<IntakeResult[]> {
  const results: IntakeResult[] = [];
  for (const [index, input] of inputs.entries()) results.push(await recordSyncFailure(deps, input, index));
  return results;
}
