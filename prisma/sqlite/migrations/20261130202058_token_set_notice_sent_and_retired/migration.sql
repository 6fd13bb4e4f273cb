-- AlterTable
ALTER TABLE "XeroTokenSet" ADD COLUMN "reconnectNoticeSentAt" DATETIME;
ALTER TABLE "XeroTokenSet" ADD COLUMN "retiredAt" DATETIME;

-- Notices claimed before this column existed were sent (or given back) by then.
UPDATE "XeroTokenSet" SET "reconnectNoticeSentAt" = "reconnectNoticeClaimedAt" WHERE "reconnectNoticeClaimedAt" IS NOT NULL;
