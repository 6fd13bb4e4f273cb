-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateTable
CREATE TABLE "SlackInstallation" (
    "id" TEXT NOT NULL,
    "installationKey" TEXT NOT NULL,
    "teamId" TEXT,
    "teamName" TEXT,
    "enterpriseId" TEXT,
    "enterpriseName" TEXT,
    "isEnterpriseInstall" BOOLEAN NOT NULL DEFAULT false,
    "appId" TEXT,
    "botId" TEXT,
    "botUserId" TEXT NOT NULL,
    "botScopes" JSONB NOT NULL,
    "botTokenExpiresAt" TIMESTAMP(3),
    "installerUserId" TEXT NOT NULL,
    "installerScopes" JSONB NOT NULL,
    "secretsEncrypted" TEXT NOT NULL,
    "installedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "SlackInstallation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "XeroConnection" (
    "id" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "tenantName" TEXT NOT NULL,
    "tenantType" TEXT NOT NULL,
    "xeroConnectionId" TEXT NOT NULL,
    "tokensEncrypted" TEXT NOT NULL,
    "accessTokenExpiresAt" TIMESTAMP(3) NOT NULL,
    "scopes" JSONB NOT NULL,
    "refreshTokenRotatedAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'connected',
    "statusReason" TEXT,
    "statusChangedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastCheckedAt" TIMESTAMP(3),
    "lastHealthyAt" TIMESTAMP(3),
    "connectedBySlackUserId" TEXT NOT NULL,
    "connectedByXeroEmail" TEXT,
    "connectedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "refreshLeaseOwner" TEXT,
    "refreshLeaseUntil" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "XeroConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OAuthState" (
    "id" TEXT NOT NULL,
    "nonceHash" TEXT NOT NULL,
    "purpose" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "channelId" TEXT,
    "threadTs" TEXT,
    "connectionId" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "usedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OAuthState_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "FailedSync" (
    "id" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "connectionId" TEXT,
    "externalReference" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "errorCode" TEXT,
    "errorMessage" TEXT NOT NULL,
    "validationMessages" JSONB NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'failed',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMP(3),
    "idempotencyKey" TEXT NOT NULL,
    "leaseOwner" TEXT,
    "leaseUntil" TIMESTAMP(3),
    "xeroId" TEXT,
    "syncedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "FailedSync_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Escalation" (
    "id" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "reporterSlackUserId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "threadTs" TEXT,
    "errorText" TEXT NOT NULL,
    "reportId" TEXT,
    "occurredAt" TIMESTAMP(3),
    "connectionId" TEXT,
    "articleId" TEXT,
    "status" TEXT NOT NULL DEFAULT 'open',
    "assigneeSlackUserId" TEXT,
    "triageChannelId" TEXT,
    "triageMessageTs" TEXT,
    "reporterConfirmationTs" TEXT,
    "postedAt" TIMESTAMP(3),
    "claimedAt" TIMESTAMP(3),
    "resolvedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Escalation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "AnswerFeedback" (
    "id" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "articleId" TEXT,
    "helpful" BOOLEAN NOT NULL,
    "channelId" TEXT,
    "messageTs" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AnswerFeedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ProcessedSlackEvent" (
    "eventId" TEXT NOT NULL,
    "receivedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ProcessedSlackEvent_pkey" PRIMARY KEY ("eventId")
);

-- CreateTable
CREATE TABLE "AuditEvent" (
    "id" SERIAL NOT NULL,
    "slackTeamId" TEXT,
    "actor" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "target" TEXT,
    "details" JSONB NOT NULL,
    "occurredAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "AuditEvent_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "SlackInstallation_installationKey_key" ON "SlackInstallation"("installationKey");

-- CreateIndex
CREATE INDEX "SlackInstallation_teamId_idx" ON "SlackInstallation"("teamId");

-- CreateIndex
CREATE INDEX "XeroConnection_accessTokenExpiresAt_idx" ON "XeroConnection"("accessTokenExpiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "XeroConnection_slackTeamId_tenantId_key" ON "XeroConnection"("slackTeamId", "tenantId");

-- CreateIndex
CREATE UNIQUE INDEX "OAuthState_nonceHash_key" ON "OAuthState"("nonceHash");

-- CreateIndex
CREATE INDEX "OAuthState_expiresAt_idx" ON "OAuthState"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "FailedSync_idempotencyKey_key" ON "FailedSync"("idempotencyKey");

-- CreateIndex
CREATE INDEX "FailedSync_status_nextAttemptAt_idx" ON "FailedSync"("status", "nextAttemptAt");

-- CreateIndex
CREATE INDEX "FailedSync_slackTeamId_occurredAt_idx" ON "FailedSync"("slackTeamId", "occurredAt");

-- CreateIndex
CREATE INDEX "Escalation_status_createdAt_idx" ON "Escalation"("status", "createdAt");

-- CreateIndex
CREATE INDEX "Escalation_reporterSlackUserId_createdAt_idx" ON "Escalation"("reporterSlackUserId", "createdAt");

-- CreateIndex
CREATE INDEX "Escalation_postedAt_idx" ON "Escalation"("postedAt");

-- CreateIndex
CREATE INDEX "AnswerFeedback_articleId_idx" ON "AnswerFeedback"("articleId");

-- CreateIndex
CREATE INDEX "ProcessedSlackEvent_receivedAt_idx" ON "ProcessedSlackEvent"("receivedAt");

-- CreateIndex
CREATE INDEX "AuditEvent_slackTeamId_occurredAt_idx" ON "AuditEvent"("slackTeamId", "occurredAt");

-- AddForeignKey
ALTER TABLE "FailedSync" ADD CONSTRAINT "FailedSync_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "XeroConnection"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Escalation" ADD CONSTRAINT "Escalation_connectionId_fkey" FOREIGN KEY ("connectionId") REFERENCES "XeroConnection"("id") ON DELETE SET NULL ON UPDATE CASCADE;
