-- AlterTable
ALTER TABLE "Escalation" ADD COLUMN "codes" TEXT;
ALTER TABLE "Escalation" ADD COLUMN "connectionCheckedAt" DATETIME;
ALTER TABLE "Escalation" ADD COLUMN "connectionVerdict" TEXT;
ALTER TABLE "Escalation" ADD COLUMN "reporterTimeZone" TEXT;
