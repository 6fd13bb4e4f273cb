-- AlterTable
ALTER TABLE "FailedSync" ADD COLUMN     "lastOutcome" TEXT,
ADD COLUMN     "retryRequestId" TEXT,
ADD COLUMN     "sendKey" TEXT,
ADD COLUMN     "sendStartedAt" TIMESTAMP(3);

-- CreateTable
CREATE TABLE "RetryRequest" (
    "id" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "slackUserId" TEXT,
    "timeZone" TEXT,
    "channelId" TEXT,
    "threadTs" TEXT,
    "messageTs" TEXT,
    "total" INTEGER NOT NULL,
    "reportedAt" TIMESTAMP(3),
    "reportedText" TEXT,
    "finishedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "RetryRequest_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "XeroRateScope" (
    "key" TEXT NOT NULL,
    "pausedUntil" TIMESTAMP(3),
    "pauseProblem" TEXT,
    "minuteRemaining" INTEGER,
    "dayRemaining" INTEGER,
    "remainingObservedAt" TIMESTAMP(3),
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "XeroRateScope_pkey" PRIMARY KEY ("key")
);

-- CreateTable
CREATE TABLE "XeroCallPermit" (
    "id" TEXT NOT NULL,
    "scopeKey" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "grantedAt" TIMESTAMP(3) NOT NULL,
    "leaseUntil" TIMESTAMP(3) NOT NULL,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "XeroCallPermit_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "RetryRequest_finishedAt_idx" ON "RetryRequest"("finishedAt");

-- CreateIndex
CREATE INDEX "XeroCallPermit_scopeKey_grantedAt_idx" ON "XeroCallPermit"("scopeKey", "grantedAt");

-- CreateIndex
CREATE INDEX "XeroCallPermit_grantedAt_idx" ON "XeroCallPermit"("grantedAt");

-- CreateIndex
CREATE INDEX "FailedSync_connectionId_status_idx" ON "FailedSync"("connectionId", "status");

-- CreateIndex
CREATE INDEX "FailedSync_retryRequestId_idx" ON "FailedSync"("retryRequestId");

-- AddForeignKey
ALTER TABLE "FailedSync" ADD CONSTRAINT "FailedSync_retryRequestId_fkey" FOREIGN KEY ("retryRequestId") REFERENCES "RetryRequest"("id") ON DELETE SET NULL ON UPDATE CASCADE;
