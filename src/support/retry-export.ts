// Re-sends one failed export that a worker has claimed, without ever creating a second document:
// the send carries a stable Idempotency-Key, is stamped in the database BEFORE it leaves, and a
// stamped send whose outcome we never learned (a timeout, a killed process) is looked up in Xero
// by number or reference before anything is sent again. Every Xero call holds a rate-limit permit.
// Validation failures wait for a fix (needs_fix); timeouts, 5xx and 429s come back later with
// exponential backoff and jitter.
import { createHash } from 'node:crypto';
import type { ConnectionAccess } from './connection-access.ts';
import type { Classification } from './classify-failure.ts';
import type { FailedSync, JsonValue, RetrySettlement } from './records.ts';
import { CallDeferred, rateLimitedCall, type XeroCallGate } from './xero-rate-limits.ts';
import { isXeroError, type XeroDocumentKind, type XeroDocumentQuery, type XeroDocumentRef, type XeroGateway } from './xero-gateway.ts';

export interface RetryQueueStore {
  stampSend(id: string, owner: string, sendKey: string, now?: Date): Promise<boolean>;
  settle(id: string, owner: string, settlement: RetrySettlement, now?: Date): Promise<boolean>;
  deferConnection(connectionId: string, until: Date, now?: Date): Promise<number>;
}

export interface RetryPacing {
  /** Attempts (transient failures) before a failure goes back to 'failed' and waits for a person (default 8). */
  maxAttempts: number;
  /** Backoff after the first transient failure, doubled each time, with full jitter (default 30 s, at most 1 h). */
  baseDelayMs: number;
  maxDelayMs: number;
  /** How long one export may wait in-process for a permit before it is put back in the queue (default 2 s). */
  permitWaitMs: number;
  /**
   * After a send whose outcome is unknown (a timeout), wait at least this long before looking it up
   * and sending again (default 2 minutes): Xero may still be working on the first one, and a
   * look-up that comes too early finds nothing.
   */
  unknownOutcomeDelayMs: number;
}

export const defaultRetryPacing: RetryPacing = { maxAttempts: 8, baseDelayMs: 30_000, maxDelayMs: 60 * 60_000, permitWaitMs: 2000, unknownOutcomeDelayMs: 2 * 60_000 };

export interface RetryExportDeps {
  failedSyncs: RetryQueueStore;
  connections: { get(id: string): Promise<{ id: string; tenantId: string } | null> };
  access: ConnectionAccess;
  xero: Pick<XeroGateway, 'sendDocument' | 'findDocument'>;
  gate: XeroCallGate;
  /** Classifies Xero's new validation messages to a knowledge article. */
  classify: (error: { message: string; xeroBody?: unknown }) => Classification;
  now: () => Date;
  random?: () => number;
  pacing?: Partial<RetryPacing>;
}

export type RetryExportResult = { id: string; settlement: RetrySettlement; kept: boolean };

const documentKinds: readonly XeroDocumentKind[] = ['invoice', 'bill', 'credit_note', 'payment', 'bank_transaction', 'contact'];
const wrapperKeys = ['Invoices', 'CreditNotes', 'Payments', 'BankTransactions', 'Contacts'];

/** The one document to send: the product may have kept Xero's wrapper ({ Invoices: [doc] }) or a one-element array. */
export function documentOf(payload: FailedSync['payload']): JsonValue {
  let value: JsonValue = payload;
  if (Array.isArray(value) && value.length === 1) value = value[0]!;
  if (value && typeof value === 'object' && !Array.isArray(value)) {
    const keys = Object.keys(value);
    const wrapped = keys.length === 1 && wrapperKeys.includes(keys[0]!) ? value[keys[0]!] : undefined;
    if (Array.isArray(wrapped) && wrapped.length === 1) value = wrapped[0]!;
  }
  return value;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${stableJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

/**
 * The Idempotency-Key of this failure's re-sends: its id, a hash of what is sent, and when the key
 * was first used (at most 128 characters). Kept for every re-send until Xero refuses the document
 * outright (a validation error creates nothing, and Xero would replay that refusal for the same key
 * after the cause is fixed), then the next send gets a fresh one.
 */
export function sendKeyOf(failure: Pick<FailedSync, 'id' | 'payload'>, firstUsed: Date): string {
  const digest = createHash('sha256').update(stableJson(documentOf(failure.payload))).digest('base64url');
  return `r-${failure.id}-${digest}-${firstUsed.getTime().toString(36)}`.slice(0, 128);
}

/** How to find an earlier send of the document in Xero: its number, else its reference (a contact's name). */
export function lookupQuery(kind: XeroDocumentKind, document: JsonValue): XeroDocumentQuery | null {
  if (!document || typeof document !== 'object' || Array.isArray(document)) return null;
  const text = (key: string) => (typeof document[key] === 'string' && (document[key] as string).trim() ? (document[key] as string).trim() : undefined);
  if (kind === 'contact') {
    const name = text('Name');
    return name ? { kind, reference: name } : null;
  }
  // Xero looks payments and bank transactions up by reference only.
  const number = kind === 'payment' || kind === 'bank_transaction' ? undefined : (text('InvoiceNumber') ?? text('CreditNoteNumber'));
  if (number) return { kind, number };
  const reference = text('Reference');
  return reference ? { kind, reference } : null;
}

/** Exponential backoff with full jitter: anywhere up to base * 2^(attempt-1), capped. */
export function backoffMs(attempt: number, pacing: RetryPacing, random: () => number = Math.random): number {
  const ceiling = Math.min(pacing.maxDelayMs, pacing.baseDelayMs * 2 ** Math.max(0, attempt - 1));
  // At least a tenth of the ceiling, so a burst of failures never comes straight back.
  return Math.round(ceiling * (0.1 + 0.9 * random()));
}

const reconnectCodes = new Set(['refresh_rejected', 'unauthorized', 'forbidden', 'tenant_not_connected']);
// 5xx and timeouts may come after Xero created the document; a 429 and a refused connection never do.
const unknownOutcomeCodes = new Set(['timeout', 'xero_unavailable', 'unexpected_response']);

/**
 * Retries one claimed failure (status retrying, held by `owner`) and records the outcome.
 * `kept` is false when the lease was lost meanwhile (another worker owns the row now).
 */
export async function retryExport(deps: RetryExportDeps, failure: FailedSync, owner: string): Promise<RetryExportResult> {
  const pacing = { ...defaultRetryPacing, ...deps.pacing };
  const settle = async (settlement: RetrySettlement): Promise<RetryExportResult> => ({
    id: failure.id,
    settlement,
    kept: await deps.failedSyncs.settle(failure.id, owner, settlement, deps.now()),
  });
  const needsReconnect = (message: string, outcomeUnknown = failure.sendStartedAt !== null) =>
    settle({ kind: 'needs_fix', reconnect: true, outcomeUnknown, errorCode: null, errorMessage: message, validationMessages: [] });
  const transient = (message: string, options: { outcomeUnknown: boolean; rateLimited?: boolean; at?: Date }) => {
    const backoff = backoffMs(failure.attempts, pacing, deps.random);
    return settle({
      kind: 'transient',
      rateLimited: options.rateLimited ?? false,
      outcomeUnknown: options.outcomeUnknown,
      errorMessage: message,
      nextAttemptAt: options.at ?? new Date(deps.now().getTime() + (options.outcomeUnknown ? Math.max(backoff, pacing.unknownOutcomeDelayMs) : backoff)),
      giveUp: failure.attempts >= pacing.maxAttempts,
    });
  };

  if (!failure.connectionId) return needsReconnect('This export is not linked to a Xero connection: connect the organisation, then retry.');
  if (!documentKinds.includes(failure.kind as XeroDocumentKind)) {
    return settle({ kind: 'needs_fix', reconnect: false, outcomeUnknown: false, errorCode: null, errorMessage: `Unknown export kind "${failure.kind}".`, validationMessages: [] });
  }
  const kind = failure.kind as XeroDocumentKind;
  const connection = await deps.connections.get(failure.connectionId);
  if (!connection) return needsReconnect('The Xero connection of this export no longer exists: reconnect the organisation, then retry.');
  const tenantId = connection.tenantId;
  const document = documentOf(failure.payload);
  const callOptions = { holder: owner, maxWaitMs: pacing.permitWaitMs, now: deps.now };
  const call = <T>(run: (accessToken: string) => Promise<T>) =>
    rateLimitedCall(deps.gate, tenantId, callOptions, async () => run((await deps.access.accessFor(connection.id)).accessToken));
  let sent = false;
  // Whether a send of this failure may have landed unseen: from an earlier attempt until the lookup says no, and from our own stamp on.
  let unknown = failure.sendStartedAt !== null;
  const stillUnknown = (code: string | undefined) => (sent ? code === undefined || unknownOutcomeCodes.has(code) : unknown);

  try {
    // An earlier send may have landed: ask Xero before sending again.
    if (failure.sendStartedAt) {
      const query = lookupQuery(kind, document);
      const found: XeroDocumentRef | null = query ? await call((token) => deps.xero.findDocument(token, tenantId, query)) : null;
      if (found) return settle({ kind: 'synced', xeroId: found.xeroId, found: true });
      if (query) unknown = false;
    }
    const sendKey = failure.sendKey ?? sendKeyOf(failure, deps.now());
    const result = await call(async (token) => {
      // Stored before the send leaves: a crash from here on is an unknown outcome, looked up next time.
      if (!(await deps.failedSyncs.stampSend(failure.id, owner, sendKey, deps.now()))) throw new LeaseLost();
      sent = true;
      return deps.xero.sendDocument(token, tenantId, { kind, payload: document, idempotencyKey: sendKey });
    });
    return settle({ kind: 'synced', xeroId: result.document.xeroId, found: false });
  } catch (error) {
    if (error instanceof LeaseLost) return { id: failure.id, settlement: { kind: 'deferred', nextAttemptAt: deps.now() }, kept: false };
    if (error instanceof CallDeferred) {
      // The organisation is at its limit: its other queued exports wait too instead of being claimed for nothing.
      await deps.failedSyncs.deferConnection(connection.id, error.retryAt, deps.now());
      return settle({ kind: 'deferred', nextAttemptAt: error.retryAt });
    }
    if (!isXeroError(error)) return transient(`Retry failed: ${(error as Error).message}`, { outcomeUnknown: stillUnknown(undefined) });
    if (error.code === 'validation') {
      const messages = error.details.messages ?? [];
      const message = messages[0] ?? error.message;
      const { errorCode } = deps.classify({ message, xeroBody: { Elements: [{ ValidationErrors: messages.map((Message) => ({ Message })) }] } });
      return settle({ kind: 'needs_fix', reconnect: false, outcomeUnknown: false, errorCode, errorMessage: message, validationMessages: messages });
    }
    if (reconnectCodes.has(error.code)) return needsReconnect(error.message, stillUnknown(error.code));
    if (error.code === 'rate_limited') {
      const until = new Date(deps.now().getTime() + (error.details.retryAfterMs ?? 1000));
      await deps.failedSyncs.deferConnection(connection.id, until, deps.now());
      return transient(error.message, { outcomeUnknown: stillUnknown(error.code), rateLimited: true, at: until });
    }
    return transient(error.message, { outcomeUnknown: stillUnknown(error.code) });
  }
}

class LeaseLost extends Error {
  constructor() {
    super('the retry lease was lost before the send');
  }
}
