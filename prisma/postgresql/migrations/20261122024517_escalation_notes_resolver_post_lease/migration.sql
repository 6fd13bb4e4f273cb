-- AlterTable
ALTER TABLE "Escalation" ADD COLUMN     "notes" TEXT,
ADD COLUMN     "postLeaseOwner" TEXT,
ADD COLUMN     "postLeaseUntil" TIMESTAMP(3),
ADD COLUMN     "reporterConfirmationChannelId" TEXT,
ADD COLUMN     "resolvedBySlackUserId" TEXT;

-- Notes of reporters used to be appended to the error under "Notes from the reporter:" (27
-- characters with the line breaks around it). Move them into their own column.
UPDATE "Escalation"
SET "notes" = substr("errorText", strpos("errorText", chr(10) || chr(10) || 'Notes from the reporter:' || chr(10)) + 27),
    "errorText" = substr("errorText", 1, strpos("errorText", chr(10) || chr(10) || 'Notes from the reporter:' || chr(10)) - 1)
WHERE strpos("errorText", chr(10) || chr(10) || 'Notes from the reporter:' || chr(10)) > 0;

-- A confirmation went to the thread of the reporter unless the thread was out of reach, so
-- record that channel. Without a thread it went to a DM whose channel was not kept: unknown.
UPDATE "Escalation" SET "reporterConfirmationChannelId" = "channelId"
WHERE "reporterConfirmationTs" IS NOT NULL AND "threadTs" IS NOT NULL;
