-- One vote per person per answer. Existing rows get the key of their answer (the article given, empty
-- when none, and the question, joined by a newline: the same key the application writes), and only
-- the latest vote of each person on an answer is kept, so the unique index can be built.

-- AlterTable
ALTER TABLE "AnswerFeedback" ADD COLUMN     "answerKey" TEXT;
UPDATE "AnswerFeedback" SET "answerKey" = COALESCE("articleId", '') || chr(10) || "question";
DELETE FROM "AnswerFeedback" WHERE "id" IN (
    SELECT "id" FROM (
        SELECT "id", ROW_NUMBER() OVER (PARTITION BY "slackTeamId", "slackUserId", "answerKey" ORDER BY "createdAt" DESC, "id" DESC) AS "rank"
        FROM "AnswerFeedback"
    ) AS "ranked" WHERE "rank" > 1
);
ALTER TABLE "AnswerFeedback" ALTER COLUMN "answerKey" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "AnswerFeedback_slackTeamId_slackUserId_answerKey_key" ON "AnswerFeedback"("slackTeamId", "slackUserId", "answerKey");
