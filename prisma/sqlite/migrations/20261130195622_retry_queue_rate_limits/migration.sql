-- CreateTable
CREATE TABLE "RetryRequest" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slackTeamId" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "slackUserId" TEXT,
    "timeZone" TEXT,
    "channelId" TEXT,
    "threadTs" TEXT,
    "messageTs" TEXT,
    "total" INTEGER NOT NULL,
    "reportedAt" DATETIME,
    "reportedText" TEXT,
    "finishedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "XeroRateScope" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "pausedUntil" DATETIME,
    "pauseProblem" TEXT,
    "minuteRemaining" INTEGER,
    "dayRemaining" INTEGER,
    "remainingObservedAt" DATETIME,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "XeroCallPermit" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "scopeKey" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "grantedAt" DATETIME NOT NULL,
    "leaseUntil" DATETIME NOT NULL,
    "finishedAt" DATETIME
);

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_FailedSync" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slackTeamId" TEXT NOT NULL,
    "connectionId" TEXT,
    "externalReference" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "errorCode" TEXT,
    "errorMessage" TEXT NOT NULL,
    "validationMessages" JSONB NOT NULL,
    "occurredAt" DATETIME NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'failed',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" DATETIME,
    "idempotencyKey" TEXT NOT NULL,
    "leaseOwner" TEXT,
    "leaseUntil" DATETIME,
    "xeroId" TEXT,
    "syncedAt" DATETIME,
    "sendKey" TEXT,
    "sendStartedAt" DATETIME,
    "lastOutcome" TEXT,
    "retryRequestId" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "FailedSync_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "XeroConnection" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "FailedSync_retryRequestId_fkey" FOREIGN KEY ("retryRequestId") REFERENCES "RetryRequest" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_FailedSync" ("attempts", "connectionId", "createdAt", "errorCode", "errorMessage", "externalReference", "id", "idempotencyKey", "kind", "leaseOwner", "leaseUntil", "nextAttemptAt", "occurredAt", "payload", "slackTeamId", "status", "syncedAt", "updatedAt", "validationMessages", "xeroId") SELECT "attempts", "connectionId", "createdAt", "errorCode", "errorMessage", "externalReference", "id", "idempotencyKey", "kind", "leaseOwner", "leaseUntil", "nextAttemptAt", "occurredAt", "payload", "slackTeamId", "status", "syncedAt", "updatedAt", "validationMessages", "xeroId" FROM "FailedSync";
DROP TABLE "FailedSync";
ALTER TABLE "new_FailedSync" RENAME TO "FailedSync";
CREATE UNIQUE INDEX "FailedSync_idempotencyKey_key" ON "FailedSync"("idempotencyKey");
CREATE INDEX "FailedSync_status_nextAttemptAt_idx" ON "FailedSync"("status", "nextAttemptAt");
CREATE INDEX "FailedSync_slackTeamId_occurredAt_idx" ON "FailedSync"("slackTeamId", "occurredAt");
CREATE INDEX "FailedSync_connectionId_status_idx" ON "FailedSync"("connectionId", "status");
CREATE INDEX "FailedSync_retryRequestId_idx" ON "FailedSync"("retryRequestId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "RetryRequest_finishedAt_idx" ON "RetryRequest"("finishedAt");

-- CreateIndex
CREATE INDEX "XeroCallPermit_scopeKey_grantedAt_idx" ON "XeroCallPermit"("scopeKey", "grantedAt");

-- CreateIndex
CREATE INDEX "XeroCallPermit_grantedAt_idx" ON "XeroCallPermit"("grantedAt");
