-- AlterTable
ALTER TABLE "Escalation" ADD COLUMN     "confirmationAttemptAt" TIMESTAMP(3),
ADD COLUMN     "postAttemptAt" TIMESTAMP(3);
