-- CreateTable
CREATE TABLE "AnsweredThread" (
    "slackTeamId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "threadTs" TEXT NOT NULL,
    "askerSlackUserId" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "articleId" TEXT,
    "askedAt" DATETIME NOT NULL,
    "expiresAt" DATETIME NOT NULL,

    PRIMARY KEY ("slackTeamId", "channelId", "threadTs")
);

-- CreateIndex
CREATE INDEX "AnsweredThread_expiresAt_idx" ON "AnsweredThread"("expiresAt");
