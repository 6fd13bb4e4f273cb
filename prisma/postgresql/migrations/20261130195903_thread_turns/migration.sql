-- CreateTable
CREATE TABLE "ThreadTurn" (
    "id" TEXT NOT NULL,
    "threadKey" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "ThreadTurn_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "ThreadTurn_threadKey_createdAt_idx" ON "ThreadTurn"("threadKey", "createdAt");

-- CreateIndex
CREATE INDEX "ThreadTurn_createdAt_idx" ON "ThreadTurn"("createdAt");
