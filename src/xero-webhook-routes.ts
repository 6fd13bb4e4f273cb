// POST /xero/webhooks: Xero's notifications. Registered only when XERO_WEBHOOK_KEY is set. Xero
// wants an answer within 5 seconds with an empty body: 200 when the signature matches (its
// intent-to-receive check sends signed and forged payloads alike), 401 otherwise. A signed delivery
// is stored before the 200; its events are applied afterwards, so the answer never waits on Xero.
import type { ServerResponse } from 'node:http';
import { readBody, type Route } from './http-server.ts';
import type { Logger } from './logger.ts';
import { toDeliveryInput, validXeroSignature, webhookKeepMs, webhookPayloadSchema, type WebhookDeliveryStore, type WebhookEvent } from './support/xero-webhooks.ts';

export const XERO_WEBHOOKS_PATH = '/xero/webhooks';
/** Xero batches events; a delivery is a few kilobytes. */
export const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;
/** Old deliveries are forgotten at most this often per process, after a delivery is applied. */
const pruneEveryMs = 60 * 60_000;

export interface XeroWebhookRoutesOptions {
  webhookKey: string;
  deliveries: Pick<WebhookDeliveryStore, 'record' | 'markProcessed' | 'prune'>;
  /** Applies a stored delivery's events (refreshes the failed exports they concern). */
  apply(events: WebhookEvent[]): Promise<unknown>;
  logger: Logger;
  now?: () => Date;
}

function answer(res: ServerResponse, status: number): void {
  res.writeHead(status, { 'content-length': '0', 'cache-control': 'no-store' });
  res.end();
}

export function xeroWebhookRoutes(options: XeroWebhookRoutesOptions): Route[] {
  const log = options.logger.child({ component: 'xero-webhooks' });
  const now = options.now ?? (() => new Date());
  let prunedAt = 0;
  const pruneNowAndThen = async () => {
    if (now().getTime() - prunedAt < pruneEveryMs) return;
    prunedAt = now().getTime();
    try {
      const pruned = await options.deliveries.prune(new Date(prunedAt - webhookKeepMs));
      if (pruned) log.info({ pruned }, 'forgot webhook deliveries older than a week');
    } catch (error) {
      log.warn({ err: error, code: 'webhook_prune_failed' }, 'could not forget old webhook deliveries; trying again in an hour');
    }
  };
  return [
    {
      method: 'POST',
      path: XERO_WEBHOOKS_PATH,
      async handle(req, res) {
        const read = await readBody(req, WEBHOOK_BODY_LIMIT_BYTES);
        if (!read.ok) {
          if (read.reason === 'aborted') return void res.destroy();
          return answer(res, 413);
        }
        const signature = req.headers['x-xero-signature'];
        if (!validXeroSignature(read.body, options.webhookKey, typeof signature === 'string' ? signature : undefined)) {
          log.warn({ code: 'webhook_signature_invalid', bytes: read.body.length }, 'refused a webhook delivery whose x-xero-signature does not match XERO_WEBHOOK_KEY');
          return answer(res, 401);
        }
        let payload;
        try {
          payload = webhookPayloadSchema.parse(JSON.parse(read.body.toString('utf8')));
        } catch (error) {
          // Signed with our key yet not Xero's shape: a misbehaving sender, told why.
          log.warn({ code: 'webhook_payload_invalid', err: error }, 'a signed webhook delivery is not in the shape Xero sends');
          const message = JSON.stringify({ error: 'invalid_payload', message: 'Expected {"events": [...], "firstEventSequence": n, "lastEventSequence": n} as Xero sends it.' });
          res.writeHead(400, { 'content-type': 'application/json; charset=utf-8', 'content-length': String(Buffer.byteLength(message)) });
          return void res.end(message);
        }
        const delivery = toDeliveryInput(payload);
        const stored = await options.deliveries.record(delivery, now());
        answer(res, 200);
        if (!delivery.events.length) {
          await options.deliveries.markProcessed(stored.id, now());
          return void (await pruneNowAndThen());
        }
        try {
          const outcome = await options.apply(delivery.events);
          await options.deliveries.markProcessed(stored.id, now());
          log.info({ deliveryId: stored.id, events: delivery.events.length, outcome }, 'webhook delivery applied');
          await pruneNowAndThen();
        } catch (error) {
          // Left unprocessed: applyPendingWebhooks picks it up later.
          log.error({ err: error, code: 'webhook_apply_failed', deliveryId: stored.id }, 'could not apply a webhook delivery');
        }
      },
    },
  ];
}

/** Applies deliveries stored but never applied (the process stopped right after answering Xero). */
export async function applyPendingWebhooks(
  deps: { deliveries: Pick<WebhookDeliveryStore, 'listUnprocessed' | 'markProcessed'>; apply(events: WebhookEvent[]): Promise<unknown> },
  limit = 100,
): Promise<number> {
  const pending = await deps.deliveries.listUnprocessed(limit);
  for (const delivery of pending) {
    await deps.apply(delivery.events);
    await deps.deliveries.markProcessed(delivery.id);
  }
  return pending.length;
}
