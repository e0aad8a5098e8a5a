-- CreateTable
CREATE TABLE "sbom_run" (
    "id" BIGSERIAL NOT NULL,
    "project" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "format" TEXT NOT NULL,
    "spec_version" TEXT NOT NULL,
    "subject_name" TEXT,
    "subject_version" TEXT,
    "tool" TEXT,
    "components" INTEGER NOT NULL,
    "without_version" INTEGER NOT NULL,
    "without_licence" INTEGER NOT NULL,
    "scanned" BOOLEAN NOT NULL,
    "critical" INTEGER NOT NULL,
    "high" INTEGER NOT NULL,
    "medium" INTEGER NOT NULL,
    "low" INTEGER NOT NULL,
    "other" INTEGER NOT NULL,
    "vulnerabilities" JSONB NOT NULL,
    "missing" JSONB NOT NULL,

    CONSTRAINT "sbom_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "manifest_run" (
    "id" BIGSERIAL NOT NULL,
    "project" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "objects" INTEGER NOT NULL,
    "by_kind" JSONB NOT NULL,
    "workloads" JSONB NOT NULL,
    "rules" JSONB NOT NULL,
    "findings" JSONB NOT NULL,

    CONSTRAINT "manifest_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "compose_run" (
    "id" BIGSERIAL NOT NULL,
    "project" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "name" TEXT,
    "services" TEXT[],
    "ports" JSONB NOT NULL,
    "rules" JSONB NOT NULL,
    "findings" JSONB NOT NULL,

    CONSTRAINT "compose_run_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "sbom_run_project_received_at_idx" ON "sbom_run"("project", "received_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "sbom_run_project_digest_key" ON "sbom_run"("project", "digest");

-- CreateIndex
CREATE INDEX "manifest_run_project_received_at_idx" ON "manifest_run"("project", "received_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "manifest_run_project_digest_key" ON "manifest_run"("project", "digest");

-- CreateIndex
CREATE INDEX "compose_run_project_received_at_idx" ON "compose_run"("project", "received_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "compose_run_project_digest_key" ON "compose_run"("project", "digest");
