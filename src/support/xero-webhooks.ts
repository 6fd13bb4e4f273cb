// Xero's webhooks: what a delivery holds, how it is stored, and what an event does here. An event
// about a document or contact we hold a failed export for re-runs that export's live diagnosis,
// so a contact restored or an invoice that turns up in Xero moves the export on by itself.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { FailedSync } from './records.ts';
import { diagnosisCauseOf, type DiagnoseError, type FailureDiagnosis } from './diagnose-failure.ts';
import type { Result } from './result.ts';

/** Xero's x-xero-signature: base64 HMAC-SHA256 of the raw body, keyed with the app's webhook key. Constant-time compare. */
export function validXeroSignature(rawBody: Buffer, webhookKey: string, signature: string | undefined): boolean {
  if (!signature) return false;
  const expected = createHmac('sha256', webhookKey).update(rawBody).digest();
  const given = Buffer.from(signature.trim(), 'base64');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

const xeroEvent = z.object({
  resourceUrl: z.string().optional(),
  resourceId: z.string().min(1),
  eventDateUtc: z.string().min(1),
  eventType: z.string().min(1),
  eventCategory: z.string().min(1),
  tenantId: z.string().min(1),
  tenantType: z.string().optional(),
});

/** A delivery as Xero sends it; the intent-to-receive check has no events. */
export const webhookPayloadSchema = z.object({
  events: z.array(xeroEvent),
  firstEventSequence: z.number().int().optional(),
  lastEventSequence: z.number().int().optional(),
  entropy: z.string().optional(),
});

export interface WebhookEvent {
  tenantId: string;
  resourceId: string;
  /** INVOICE, CONTACT, CREDITNOTE... */
  eventCategory: string;
  /** CREATE or UPDATE */
  eventType: string;
  eventDate: Date;
}

export interface WebhookDeliveryInput {
  firstEventSequence: number | null;
  lastEventSequence: number | null;
  events: WebhookEvent[];
}

export interface WebhookDeliveryStore {
  record(delivery: WebhookDeliveryInput, now?: Date): Promise<{ id: string }>;
  markProcessed(id: string, now?: Date): Promise<void>;
  /** Deliveries whose events were never applied (the process stopped right after the 200), oldest first. */
  listUnprocessed(limit: number): Promise<{ id: string; events: WebhookEvent[] }[]>;
  /** When the newest delivery arrived: any at all, or the newest event for one of `tenantIds`. */
  lastDelivery(options: { tenantIds?: readonly string[] }): Promise<Date | null>;
  /** Forgets applied deliveries (and their events) received before `before`; returns how many. */
  prune(before: Date): Promise<number>;
}

/** Applied deliveries are kept this long: the health line looks back a day, people a week. */
export const webhookKeepMs = 7 * 24 * 60 * 60_000;

/** Xero writes eventDateUtc without a zone ("2026-11-30T09:15:39.902"): it is UTC. */
export function eventDate(value: string): Date {
  const date = new Date(/[zZ]|[+-]\d{2}:?\d{2}$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(date.getTime()) ? new Date(0) : date;
}

export function toDeliveryInput(payload: z.infer<typeof webhookPayloadSchema>): WebhookDeliveryInput {
  return {
    firstEventSequence: payload.firstEventSequence ?? null,
    lastEventSequence: payload.lastEventSequence ?? null,
    events: payload.events.map((e) => ({
      tenantId: e.tenantId,
      resourceId: e.resourceId,
      eventCategory: e.eventCategory.toUpperCase(),
      eventType: e.eventType.toUpperCase(),
      eventDate: eventDate(e.eventDateUtc),
    })),
  };
}

// --- Health: is Xero still delivering? ---

/** Xero switches a webhook off after about a day of failed deliveries (see PAYMENTS_NOT_APPEARING). */
export const webhookSilenceMs = 24 * 60 * 60_000;

export interface WebhookHealth {
  /** The newest delivery for the workspace's organisations; null when none. */
  lastDeliveryAt: Date | null;
  /** Nothing for a day: payments from Xero may have stopped coming back. */
  silent: boolean;
}

export async function webhookHealth(store: Pick<WebhookDeliveryStore, 'lastDelivery'>, tenantIds: readonly string[], now: Date): Promise<WebhookHealth> {
  const lastDeliveryAt = tenantIds.length ? await store.lastDelivery({ tenantIds }) : null;
  return { lastDeliveryAt, silent: !lastDeliveryAt || now.getTime() - lastDeliveryAt.getTime() > webhookSilenceMs };
}

// --- Events refresh the failed exports they concern ---

export interface WebhookRefreshDeps {
  /** Exports of the organisation waiting for a fix (failed, needs_fix), newest first. */
  waitingForTenant(tenantId: string, limit: number): Promise<FailedSync[]>;
  diagnose(failedSyncId: string): Promise<Result<FailureDiagnosis, DiagnoseError>>;
}

/** Most exports one delivery re-diagnoses: each costs Xero calls within the organisation's 60 a minute. */
const maxRefreshesPerDelivery = 50;

/**
 * Whether an event may change what a failed export's diagnosis says: it names the export's Xero id
 * or a contact the payload uses, or it is a contact / document event of the organisation and the
 * export could only be matched after a lookup (a contact known by name, a duplicate number).
 */
export function eventConcerns(event: WebhookEvent, failure: FailedSync): boolean {
  if (failure.xeroId === event.resourceId) return true;
  const cause = diagnosisCauseOf(failure.errorCode);
  const payload = JSON.stringify(failure.payload);
  if (payload.includes(event.resourceId)) return true;
  if (event.eventCategory === 'CONTACT' && cause === 'contact') return !payload.includes('"ContactID"');
  if ((event.eventCategory === 'INVOICE' || event.eventCategory === 'CREDITNOTE') && cause === 'duplicate_number') return true;
  return false;
}

export interface WebhookRefreshResult {
  diagnosed: number;
  queued: number;
  recordedSynced: number;
}

export async function refreshFailuresForEvents(deps: WebhookRefreshDeps, events: readonly WebhookEvent[]): Promise<WebhookRefreshResult> {
  const result: WebhookRefreshResult = { diagnosed: 0, queued: 0, recordedSynced: 0 };
  const chosen = new Set<string>();
  const byTenant = new Map<string, WebhookEvent[]>();
  for (const event of events) byTenant.set(event.tenantId, [...(byTenant.get(event.tenantId) ?? []), event]);
  for (const [tenantId, tenantEvents] of byTenant) {
    const waiting = await deps.waitingForTenant(tenantId, 500);
    for (const failure of waiting) {
      if (chosen.size >= maxRefreshesPerDelivery) break;
      if (diagnosisCauseOf(failure.errorCode) && tenantEvents.some((e) => eventConcerns(e, failure))) chosen.add(failure.id);
    }
  }
  for (const id of chosen) {
    const diagnosed = await deps.diagnose(id);
    if (!diagnosed.ok) continue;
    result.diagnosed++;
    if (diagnosed.value.action === 'queued_retry') result.queued++;
    if (diagnosed.value.action === 'recorded_synced') result.recordedSynced++;
  }
  return result;
}
