-- CreateTable
CREATE TABLE "XeroTokenSet" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slackTeamId" TEXT NOT NULL,
    "tokensEncrypted" TEXT NOT NULL,
    "accessTokenExpiresAt" DATETIME NOT NULL,
    "scopes" JSONB NOT NULL,
    "refreshTokenIssuedAt" DATETIME NOT NULL,
    "refreshLeaseOwner" TEXT,
    "refreshLeaseUntil" DATETIME,
    "version" INTEGER NOT NULL DEFAULT 0,
    "connectedBySlackUserId" TEXT NOT NULL,
    "connectedByXeroUserId" TEXT,
    "connectedByXeroEmail" TEXT,
    "authEventId" TEXT,
    "rejectedAt" DATETIME,
    "reconnectNoticeClaimedAt" DATETIME,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL
);

-- Each existing connection held its own tokens: it becomes its own token set, under its own id.
INSERT INTO "XeroTokenSet" ("id", "slackTeamId", "tokensEncrypted", "accessTokenExpiresAt", "scopes", "refreshTokenIssuedAt", "refreshLeaseOwner", "refreshLeaseUntil", "version", "connectedBySlackUserId", "connectedByXeroEmail", "createdAt", "updatedAt")
SELECT "id", "slackTeamId", "tokensEncrypted", "accessTokenExpiresAt", "scopes", "refreshTokenRotatedAt", "refreshLeaseOwner", "refreshLeaseUntil", "version", "connectedBySlackUserId", "connectedByXeroEmail", "createdAt", "updatedAt" FROM "XeroConnection";

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_XeroConnection" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "slackTeamId" TEXT NOT NULL,
    "tenantId" TEXT NOT NULL,
    "tenantName" TEXT NOT NULL,
    "tenantType" TEXT NOT NULL,
    "xeroConnectionId" TEXT NOT NULL,
    "tokenSetId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'connected',
    "statusReason" TEXT,
    "statusChangedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastCheckedAt" DATETIME,
    "lastHealthyAt" DATETIME,
    "connectedAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" DATETIME NOT NULL,
    CONSTRAINT "XeroConnection_tokenSetId_fkey" FOREIGN KEY ("tokenSetId") REFERENCES "XeroTokenSet" ("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
INSERT INTO "new_XeroConnection" ("connectedAt", "createdAt", "id", "lastCheckedAt", "lastHealthyAt", "slackTeamId", "status", "statusChangedAt", "statusReason", "tenantId", "tenantName", "tenantType", "updatedAt", "xeroConnectionId", "tokenSetId") SELECT "connectedAt", "createdAt", "id", "lastCheckedAt", "lastHealthyAt", "slackTeamId", "status", "statusChangedAt", "statusReason", "tenantId", "tenantName", "tenantType", "updatedAt", "xeroConnectionId", "id" FROM "XeroConnection";
DROP TABLE "XeroConnection";
ALTER TABLE "new_XeroConnection" RENAME TO "XeroConnection";
CREATE INDEX "XeroConnection_tokenSetId_idx" ON "XeroConnection"("tokenSetId");
CREATE UNIQUE INDEX "XeroConnection_slackTeamId_tenantId_key" ON "XeroConnection"("slackTeamId", "tenantId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

-- CreateIndex
CREATE INDEX "XeroTokenSet_accessTokenExpiresAt_idx" ON "XeroTokenSet"("accessTokenExpiresAt");

-- CreateIndex
CREATE INDEX "XeroTokenSet_refreshTokenIssuedAt_idx" ON "XeroTokenSet"("refreshTokenIssuedAt");
