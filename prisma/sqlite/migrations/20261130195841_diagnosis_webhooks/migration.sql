-- CreateTable
CREATE TABLE "FailedSyncDiagnosis" (
    "failedSyncId" TEXT NOT NULL PRIMARY KEY,
    "slackTeamId" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "report" JSONB NOT NULL,
    "diagnosedAt" DATETIME NOT NULL,
    "updatedAt" DATETIME NOT NULL
);

-- CreateTable
CREATE TABLE "XeroWebhookDelivery" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "firstEventSequence" INTEGER,
    "lastEventSequence" INTEGER,
    "eventCount" INTEGER NOT NULL,
    "processedAt" DATETIME,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "XeroWebhookEvent" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "deliveryId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "eventCategory" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "eventDate" DATETIME NOT NULL,
    "receivedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "XeroWebhookEvent_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "XeroWebhookDelivery" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "FailedSyncDiagnosis_slackTeamId_diagnosedAt_idx" ON "FailedSyncDiagnosis"("slackTeamId", "diagnosedAt");

-- CreateIndex
CREATE INDEX "XeroWebhookDelivery_receivedAt_idx" ON "XeroWebhookDelivery"("receivedAt");

-- CreateIndex
CREATE INDEX "XeroWebhookDelivery_processedAt_idx" ON "XeroWebhookDelivery"("processedAt");

-- CreateIndex
CREATE INDEX "XeroWebhookEvent_tenantId_receivedAt_idx" ON "XeroWebhookEvent"("tenantId", "receivedAt");

-- CreateIndex
CREATE INDEX "XeroWebhookEvent_resourceId_idx" ON "XeroWebhookEvent"("resourceId");
