-- CreateTable
CREATE TABLE "AnsweredThread" (
    "slackTeamId" TEXT NOT NULL,
    "channelId" TEXT NOT NULL,
    "threadTs" TEXT NOT NULL,
    "askerSlackUserId" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "articleId" TEXT,
    "askedAt" TIMESTAMP(3) NOT NULL,
    "expiresAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "AnsweredThread_pkey" PRIMARY KEY ("slackTeamId","channelId","threadTs")
);

-- CreateIndex
CREATE INDEX "AnsweredThread_expiresAt_idx" ON "AnsweredThread"("expiresAt");
