-- CreateTable
CREATE TABLE "ThreadTurn" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "threadKey" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" DATETIME NOT NULL
);

-- CreateIndex
CREATE INDEX "ThreadTurn_threadKey_createdAt_idx" ON "ThreadTurn"("threadKey", "createdAt");

-- CreateIndex
CREATE INDEX "ThreadTurn_createdAt_idx" ON "ThreadTurn"("createdAt");
