-- CreateTable
CREATE TABLE "XeroTokenSet" (
    "id" TEXT NOT NULL,
    "slackTeamId" TEXT NOT NULL,
    "tokensEncrypted" TEXT NOT NULL,
    "accessTokenExpiresAt" TIMESTAMP(3) NOT NULL,
    "scopes" JSONB NOT NULL,
    "refreshTokenIssuedAt" TIMESTAMP(3) NOT NULL,
    "refreshLeaseOwner" TEXT,
    "refreshLeaseUntil" TIMESTAMP(3),
    "version" INTEGER NOT NULL DEFAULT 0,
    "connectedBySlackUserId" TEXT NOT NULL,
    "connectedByXeroUserId" TEXT,
    "connectedByXeroEmail" TEXT,
    "authEventId" TEXT,
    "rejectedAt" TIMESTAMP(3),
    "reconnectNoticeClaimedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "XeroTokenSet_pkey" PRIMARY KEY ("id")
);

-- Each existing connection held its own tokens: it becomes its own token set, under its own id
INSERT INTO "XeroTokenSet" ("id", "slackTeamId", "tokensEncrypted", "accessTokenExpiresAt", "scopes", "refreshTokenIssuedAt", "refreshLeaseOwner", "refreshLeaseUntil", "version", "connectedBySlackUserId", "connectedByXeroEmail", "createdAt", "updatedAt")
SELECT "id", "slackTeamId", "tokensEncrypted", "accessTokenExpiresAt", "scopes", "refreshTokenRotatedAt", "refreshLeaseOwner", "refreshLeaseUntil", "version", "connectedBySlackUserId", "connectedByXeroEmail", "createdAt", "updatedAt" FROM "XeroConnection";

-- AlterTable
ALTER TABLE "XeroConnection" ADD COLUMN "tokenSetId" TEXT;
UPDATE "XeroConnection" SET "tokenSetId" = "id";
ALTER TABLE "XeroConnection" ALTER COLUMN "tokenSetId" SET NOT NULL;

-- DropIndex
DROP INDEX "XeroConnection_accessTokenExpiresAt_idx";

-- AlterTable
ALTER TABLE "XeroConnection" DROP COLUMN "accessTokenExpiresAt",
DROP COLUMN "connectedBySlackUserId",
DROP COLUMN "connectedByXeroEmail",
DROP COLUMN "refreshLeaseOwner",
DROP COLUMN "refreshLeaseUntil",
DROP COLUMN "refreshTokenRotatedAt",
DROP COLUMN "scopes",
DROP COLUMN "tokensEncrypted",
DROP COLUMN "version";

-- CreateIndex
CREATE INDEX "XeroTokenSet_accessTokenExpiresAt_idx" ON "XeroTokenSet"("accessTokenExpiresAt");

-- CreateIndex
CREATE INDEX "XeroTokenSet_refreshTokenIssuedAt_idx" ON "XeroTokenSet"("refreshTokenIssuedAt");

-- CreateIndex
CREATE INDEX "XeroConnection_tokenSetId_idx" ON "XeroConnection"("tokenSetId");

-- AddForeignKey
ALTER TABLE "XeroConnection" ADD CONSTRAINT "XeroConnection_tokenSetId_fkey" FOREIGN KEY ("tokenSetId") REFERENCES "XeroTokenSet"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
