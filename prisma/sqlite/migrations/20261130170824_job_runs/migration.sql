-- CreateTable
CREATE TABLE "JobRun" (
    "job" TEXT NOT NULL,
    "slot" DATETIME NOT NULL,
    "owner" TEXT NOT NULL,
    "startedAt" DATETIME NOT NULL,
    "leaseUntil" DATETIME NOT NULL,
    "finishedAt" DATETIME,
    "outcome" TEXT,

    PRIMARY KEY ("job", "slot")
);

-- CreateIndex
CREATE INDEX "JobRun_slot_idx" ON "JobRun"("slot");
