-- One vote per person per answer: a unique answer key, after de-duplicating earlier votes.
-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_AnswerFeedback" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slackTeamId" TEXT NOT NULL,
    "slackUserId" TEXT NOT NULL,
    "question" TEXT NOT NULL,
    "articleId" TEXT,
    "helpful" BOOLEAN NOT NULL,
    "channelId" TEXT,
    "messageTs" TEXT,
    "answerKey" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);
-- Each row gets the key of its answer (the article given, empty when none, and the question, joined by a
-- newline: the same key the application writes), and only the latest vote of each person on an answer is kept.
INSERT INTO "new_AnswerFeedback" ("articleId", "channelId", "createdAt", "helpful", "id", "messageTs", "question", "slackTeamId", "slackUserId", "answerKey")
SELECT "articleId", "channelId", "createdAt", "helpful", "id", "messageTs", "question", "slackTeamId", "slackUserId", "answerKey" FROM (
    SELECT *, ROW_NUMBER() OVER (PARTITION BY "slackTeamId", "slackUserId", "answerKey" ORDER BY "createdAt" DESC, "id" DESC) AS "rank"
    FROM (SELECT *, COALESCE("articleId", '') || char(10) || "question" AS "answerKey" FROM "AnswerFeedback")
) WHERE "rank" = 1;
DROP TABLE "AnswerFeedback";
ALTER TABLE "new_AnswerFeedback" RENAME TO "AnswerFeedback";
CREATE INDEX "AnswerFeedback_articleId_idx" ON "AnswerFeedback"("articleId");
CREATE UNIQUE INDEX "AnswerFeedback_slackTeamId_slackUserId_answerKey_key" ON "AnswerFeedback"("slackTeamId", "slackUserId", "answerKey");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
