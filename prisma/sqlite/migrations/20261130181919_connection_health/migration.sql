-- AlterTable
ALTER TABLE "XeroConnection" ADD COLUMN "healthReport" JSONB;
ALTER TABLE "XeroConnection" ADD COLUMN "healthVerdict" TEXT;

-- CreateTable
CREATE TABLE "HealthAlert" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "dedupeKey" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "connectionId" TEXT,
    "details" JSONB NOT NULL,
    "postLeaseOwner" TEXT,
    "postLeaseUntil" DATETIME,
    "postAttemptedAt" DATETIME,
    "postedAt" DATETIME,
    "channelId" TEXT,
    "messageTs" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "HealthAlert_dedupeKey_key" ON "HealthAlert"("dedupeKey");

-- CreateIndex
CREATE INDEX "HealthAlert_subject_createdAt_idx" ON "HealthAlert"("subject", "createdAt");

-- CreateIndex
CREATE INDEX "HealthAlert_postedAt_createdAt_idx" ON "HealthAlert"("postedAt", "createdAt");
