-- AlterTable
ALTER TABLE "XeroConnection" ADD COLUMN     "healthReport" JSONB,
ADD COLUMN     "healthVerdict" TEXT;

-- CreateTable
CREATE TABLE "HealthAlert" (
    "id" TEXT NOT NULL,
    "dedupeKey" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "connectionId" TEXT,
    "details" JSONB NOT NULL,
    "postLeaseOwner" TEXT,
    "postLeaseUntil" TIMESTAMP(3),
    "postAttemptedAt" TIMESTAMP(3),
    "postedAt" TIMESTAMP(3),
    "channelId" TEXT,
    "messageTs" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "HealthAlert_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "HealthAlert_dedupeKey_key" ON "HealthAlert"("dedupeKey");

-- CreateIndex
CREATE INDEX "HealthAlert_subject_createdAt_idx" ON "HealthAlert"("subject", "createdAt");

-- CreateIndex
CREATE INDEX "HealthAlert_postedAt_createdAt_idx" ON "HealthAlert"("postedAt", "createdAt");
