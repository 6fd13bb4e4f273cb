// Deliveries to POST /xero/webhooks, stored (in one transaction with their events) before Xero
// gets its 200, and what the health check asks of them: when the last one arrived.
import type { DbClient } from '../prisma-client.ts';
import type { WebhookDeliveryInput, WebhookDeliveryStore, WebhookEvent } from '../../support/xero-webhooks.ts';

export type XeroWebhookRepository = WebhookDeliveryStore;

export function createXeroWebhookRepository(prisma: DbClient): XeroWebhookRepository {
  return {
    async record(delivery: WebhookDeliveryInput, now = new Date()) {
      const row = await prisma.xeroWebhookDelivery.create({
        data: {
          firstEventSequence: delivery.firstEventSequence,
          lastEventSequence: delivery.lastEventSequence,
          eventCount: delivery.events.length,
          receivedAt: now,
          events: { create: delivery.events.map((e) => ({ ...e, receivedAt: now })) },
        },
      });
      return { id: row.id };
    },

    async markProcessed(id, now = new Date()) {
      await prisma.xeroWebhookDelivery.update({ where: { id }, data: { processedAt: now } });
    },

    async listUnprocessed(limit) {
      const rows = await prisma.xeroWebhookDelivery.findMany({ where: { processedAt: null }, orderBy: { receivedAt: 'asc' }, take: limit, include: { events: true } });
      return rows.map((r) => ({ id: r.id, events: r.events.map((e): WebhookEvent => ({ tenantId: e.tenantId, resourceId: e.resourceId, eventCategory: e.eventCategory, eventType: e.eventType, eventDate: e.eventDate })) }));
    },

    async prune(before) {
      // Events go with their delivery (onDelete: Cascade).
      const { count } = await prisma.xeroWebhookDelivery.deleteMany({ where: { receivedAt: { lt: before }, processedAt: { not: null } } });
      return count;
    },

    async lastDelivery(options) {
      if (options.tenantIds) {
        const event = await prisma.xeroWebhookEvent.findFirst({ where: { tenantId: { in: [...options.tenantIds] } }, orderBy: { receivedAt: 'desc' } });
        return event?.receivedAt ?? null;
      }
      const delivery = await prisma.xeroWebhookDelivery.findFirst({ orderBy: { receivedAt: 'desc' } });
      return delivery?.receivedAt ?? null;
    },
  };
}
