-- AlterTable
ALTER TABLE "XeroTokenSet" ADD COLUMN     "reconnectNoticeSentAt" TIMESTAMP(3),
ADD COLUMN     "retiredAt" TIMESTAMP(3);

-- Notices claimed before this column existed were sent (or given back) by then.
UPDATE "XeroTokenSet" SET "reconnectNoticeSentAt" = "reconnectNoticeClaimedAt" WHERE "reconnectNoticeClaimedAt" IS NOT NULL;
