-- CreateTable
CREATE TABLE "CaseConversation" (
    "id" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "threadTs" TEXT NOT NULL,
    "reporterSlackUserId" TEXT NOT NULL,
    "timeZone" TEXT NOT NULL,
    "articleId" TEXT,
    "fields" TEXT NOT NULL,
    "status" TEXT NOT NULL,
    "sendClaim" TEXT,
    "escalationId" TEXT,
    "expiresAt" TIMESTAMP(3) NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "CaseConversation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "CaseConversation_escalationId_key" ON "CaseConversation"("escalationId");

-- CreateIndex
CREATE INDEX "CaseConversation_expiresAt_idx" ON "CaseConversation"("expiresAt");

-- CreateIndex
CREATE UNIQUE INDEX "CaseConversation_slackTeamId_channelId_threadTs_key" ON "CaseConversation"("slackTeamId", "channelId", "threadTs");
