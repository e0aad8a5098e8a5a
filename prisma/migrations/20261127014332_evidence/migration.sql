-- CreateEnum
CREATE TYPE "TestSuiteKind" AS ENUM ('unit', 'integration', 'security', 'performance', 'e2e');

-- CreateEnum
CREATE TYPE "AttestationAnswer" AS ENUM ('yes', 'no');

-- CreateTable
CREATE TABLE "api_token" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "scopes" TEXT[],
    "token_hash" TEXT NOT NULL,
    "hint" TEXT NOT NULL,
    "created_by" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_used_at" TIMESTAMPTZ(3),
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "api_token_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "test_run" (
    "id" BIGSERIAL NOT NULL,
    "suite" TEXT NOT NULL,
    "kind" "TestSuiteKind" NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL,
    "tests" INTEGER NOT NULL,
    "passed" INTEGER NOT NULL,
    "failed" INTEGER NOT NULL,
    "errors" INTEGER NOT NULL,
    "skipped" INTEGER NOT NULL,
    "flaky" INTEGER NOT NULL,
    "duration_s" DOUBLE PRECISION,
    "pass_rate_pct" DOUBLE PRECISION,
    "flaky_tests" TEXT[],
    "failures" JSONB NOT NULL,

    CONSTRAINT "test_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "load_test_run" (
    "id" BIGSERIAL NOT NULL,
    "test" TEXT NOT NULL,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL,
    "shape" TEXT NOT NULL,
    "p50_ms" DOUBLE PRECISION,
    "p90_ms" DOUBLE PRECISION,
    "p95_ms" DOUBLE PRECISION,
    "p99_ms" DOUBLE PRECISION,
    "avg_ms" DOUBLE PRECISION,
    "max_ms" DOUBLE PRECISION,
    "error_rate_pct" DOUBLE PRECISION,
    "request_rate_per_s" DOUBLE PRECISION,
    "checks_passed" INTEGER,
    "checks_failed" INTEGER,
    "thresholds" JSONB NOT NULL,
    "all_thresholds_passed" BOOLEAN,
    "duration_s" DOUBLE PRECISION,

    CONSTRAINT "load_test_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "chaos_run" (
    "id" BIGSERIAL NOT NULL,
    "name" TEXT NOT NULL,
    "fault" TEXT NOT NULL,
    "target" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3) NOT NULL,
    "expected_recovery_s" DOUBLE PRECISION,
    "verdict" TEXT,
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL,

    CONSTRAINT "chaos_run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "attestation" (
    "id" BIGSERIAL NOT NULL,
    "check_id" TEXT NOT NULL,
    "answer" "AttestationAnswer" NOT NULL,
    "evidence_url" TEXT NOT NULL,
    "comment" TEXT NOT NULL DEFAULT '',
    "attested_by" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "source" TEXT NOT NULL,

    CONSTRAINT "attestation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "readiness_snapshot" (
    "id" BIGSERIAL NOT NULL,
    "taken_at" TIMESTAMPTZ(3) NOT NULL,
    "overall_pct" DOUBLE PRECISION,
    "blockers" INTEGER NOT NULL,
    "reason" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "result" JSONB NOT NULL,

    CONSTRAINT "readiness_snapshot_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "api_token_name_key" ON "api_token"("name");

-- CreateIndex
CREATE UNIQUE INDEX "api_token_token_hash_key" ON "api_token"("token_hash");

-- CreateIndex
CREATE INDEX "test_run_suite_received_at_idx" ON "test_run"("suite", "received_at" DESC);

-- CreateIndex
CREATE INDEX "load_test_run_test_received_at_idx" ON "load_test_run"("test", "received_at" DESC);

-- CreateIndex
CREATE INDEX "chaos_run_name_ended_at_idx" ON "chaos_run"("name", "ended_at" DESC);

-- CreateIndex
CREATE INDEX "attestation_check_id_created_at_idx" ON "attestation"("check_id", "created_at" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "readiness_snapshot_hash_key" ON "readiness_snapshot"("hash");

-- CreateIndex
CREATE INDEX "readiness_snapshot_taken_at_idx" ON "readiness_snapshot"("taken_at" DESC);
