-- CreateTable
CREATE TABLE "scan_run" (
    "id" BIGSERIAL NOT NULL,
    "project" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "tools" TEXT[],
    "errors" INTEGER NOT NULL,
    "warnings" INTEGER NOT NULL,
    "notes" INTEGER NOT NULL,
    "nones" INTEGER NOT NULL,
    "suppressed" INTEGER NOT NULL,
    "findings" JSONB NOT NULL,

    CONSTRAINT "scan_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "scan_run_project_received_at_idx" ON "scan_run"("project", "received_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "scan_run_project_digest_key" ON "scan_run"("project", "digest");
