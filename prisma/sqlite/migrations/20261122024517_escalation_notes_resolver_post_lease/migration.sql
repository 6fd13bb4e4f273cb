-- AlterTable
ALTER TABLE "Escalation" ADD COLUMN "notes" TEXT;
ALTER TABLE "Escalation" ADD COLUMN "postLeaseOwner" TEXT;
ALTER TABLE "Escalation" ADD COLUMN "postLeaseUntil" DATETIME;
ALTER TABLE "Escalation" ADD COLUMN "reporterConfirmationChannelId" TEXT;
ALTER TABLE "Escalation" ADD COLUMN "resolvedBySlackUserId" TEXT;

-- Notes of reporters used to be appended to the error under "Notes from the reporter:" (27
-- characters with the line breaks around it). Move them into their own column.
UPDATE "Escalation"
SET "notes" = substr("errorText", instr("errorText", char(10) || char(10) || 'Notes from the reporter:' || char(10)) + 27),
    "errorText" = substr("errorText", 1, instr("errorText", char(10) || char(10) || 'Notes from the reporter:' || char(10)) - 1)
WHERE instr("errorText", char(10) || char(10) || 'Notes from the reporter:' || char(10)) > 0;

-- A confirmation went to the thread of the reporter unless the thread was out of reach, so
-- record that channel. Without a thread it went to a DM whose channel was not kept: unknown.
UPDATE "Escalation" SET "reporterConfirmationChannelId" = "channelId"
WHERE "reporterConfirmationTs" IS NOT NULL AND "threadTs" IS NOT NULL;
