// Slack re-sends an event (X-Slack-Retry-Num) when it thinks we did not acknowledge it, and may
// deliver the same event_id twice. Events are acknowledged before middleware runs, so checking
// here costs Slack nothing; a short in-memory set stops concurrent copies, and the database
// (processed event ids) stops copies that arrive after a restart or at another instance.
import type { AnyMiddlewareArgs, Middleware } from '@slack/bolt';
import type { Logger } from '../../logger.ts';
import type { SupportService } from '../../support/support-service.ts';

const recentLimit = 10_000;

export function dropDuplicateEvents(support: Pick<SupportService, 'firstDelivery'>, logger: Logger): Middleware<AnyMiddlewareArgs> {
  const recent = new Set<string>();
  return async ({ body, context, next }) => {
    const eventId = (body as { event_id?: unknown }).event_id;
    if (typeof eventId !== 'string' || !eventId) return next();
    if (recent.has(eventId)) {
      logger.debug({ eventId, retryNum: context.retryNum }, 'dropped a repeated Slack event');
      return;
    }
    recent.add(eventId);
    if (recent.size > recentLimit) recent.delete(recent.values().next().value!);
    let first: boolean;
    try {
      first = await support.firstDelivery(eventId);
    } catch (error) {
      // Without the database we cannot tell; answering once too often beats never answering.
      logger.warn({ err: error, eventId }, 'could not record a Slack event id');
      first = true;
    }
    if (!first) {
      logger.debug({ eventId, retryNum: context.retryNum }, 'dropped a Slack event seen before');
      return;
    }
    await next();
  };
}
