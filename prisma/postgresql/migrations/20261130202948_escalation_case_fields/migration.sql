-- AlterTable
ALTER TABLE "Escalation" ADD COLUMN     "codes" TEXT,
ADD COLUMN     "connectionCheckedAt" TIMESTAMP(3),
ADD COLUMN     "connectionVerdict" TEXT,
ADD COLUMN     "reporterTimeZone" TEXT;
