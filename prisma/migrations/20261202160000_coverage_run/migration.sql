-- CreateTable
CREATE TABLE "coverage_run" (
    "id" BIGSERIAL NOT NULL,
    "project" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "files" INTEGER NOT NULL,
    "lines_valid" INTEGER NOT NULL,
    "lines_covered" INTEGER NOT NULL,
    "line_rate_pct" DOUBLE PRECISION,
    "branches_valid" INTEGER NOT NULL,
    "branches_covered" INTEGER NOT NULL,
    "branch_rate_pct" DOUBLE PRECISION,
    "packages" JSONB NOT NULL,

    CONSTRAINT "coverage_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "coverage_run_project_received_at_idx" ON "coverage_run"("project", "received_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "coverage_run_project_digest_key" ON "coverage_run"("project", "digest");
