-- CreateTable
CREATE TABLE "FailedSyncDiagnosis" (
    "failedSyncId" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "cause" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "report" JSONB NOT NULL,
    "diagnosedAt" TIMESTAMP(3) NOT NULL,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FailedSyncDiagnosis_pkey" PRIMARY KEY ("failedSyncId")
);

-- CreateTable
CREATE TABLE "XeroWebhookDelivery" (
    "id" TEXT NOT NULL,
    "firstEventSequence" INTEGER,
    "lastEventSequence" INTEGER,
    "eventCount" INTEGER NOT NULL,
    "processedAt" TIMESTAMP(3),
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "XeroWebhookDelivery_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "XeroWebhookEvent" (
    "id" TEXT NOT NULL,
    "deliveryId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "resourceId" TEXT NOT NULL,
    "eventCategory" TEXT NOT NULL,
    "eventType" TEXT NOT NULL,
    "eventDate" TIMESTAMP(3) NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "XeroWebhookEvent_pkey" PRIMARY KEY ("id")
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

-- AddForeignKey
ALTER TABLE "XeroWebhookEvent" ADD CONSTRAINT "XeroWebhookEvent_deliveryId_fkey" FOREIGN KEY ("deliveryId") REFERENCES "XeroWebhookDelivery"("id") ON DELETE CASCADE ON UPDATE CASCADE;
