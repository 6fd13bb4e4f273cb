-- AlterTable
ALTER TABLE "Escalation" ADD COLUMN "confirmationAttemptAt" DATETIME;
ALTER TABLE "Escalation" ADD COLUMN "postAttemptAt" DATETIME;
