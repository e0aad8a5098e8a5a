-- CreateEnum
CREATE TYPE "ComponentStatus" AS ENUM ('up', 'degraded', 'down', 'unknown');

-- CreateTable
CREATE TABLE "probe_result" (
    "id" BIGSERIAL NOT NULL,
    "component_id" TEXT NOT NULL,
    "checked_at" TIMESTAMPTZ(3) NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "status" "ComponentStatus" NOT NULL,
    "latency_ms" DOUBLE PRECISION NOT NULL,
    "detail" TEXT,
    "error" TEXT,
    "worker_id" TEXT NOT NULL,

    CONSTRAINT "probe_result_pkey" PRIMARY KEY ("id","checked_at")
) PARTITION BY RANGE ("checked_at");
-- Hand-edited: raw results are partitioned by day (partitions are created ahead and dropped by retention,
-- lib/history/partitions.ts); Prisma's schema language cannot express partitioning.

-- CreateTable
CREATE TABLE "component_state" (
    "component_id" TEXT NOT NULL,
    "status" "ComponentStatus" NOT NULL DEFAULT 'unknown',
    "since" TIMESTAMPTZ(3) NOT NULL,
    "observed_status" "ComponentStatus" NOT NULL DEFAULT 'unknown',
    "streak" INTEGER NOT NULL DEFAULT 0,
    "streak_started_at" TIMESTAMPTZ(3),
    "last_checked_at" TIMESTAMPTZ(3),
    "last_latency_ms" DOUBLE PRECISION,
    "last_detail" TEXT,
    "last_error" TEXT,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "component_state_pkey" PRIMARY KEY ("component_id")
);

-- CreateTable
CREATE TABLE "state_period" (
    "id" BIGSERIAL NOT NULL,
    "component_id" TEXT NOT NULL,
    "status" "ComponentStatus" NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    "interval_ms" INTEGER NOT NULL,

    CONSTRAINT "state_period_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "rollup_minute" (
    "component_id" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "count" BIGINT NOT NULL,
    "failures" BIGINT NOT NULL,
    "sum_ms" DOUBLE PRECISION NOT NULL,
    "min_ms" DOUBLE PRECISION,
    "max_ms" DOUBLE PRECISION,
    "hist_idx" SMALLINT[],
    "hist_counts" BIGINT[],

    CONSTRAINT "rollup_minute_pkey" PRIMARY KEY ("component_id","bucket")
);

-- CreateTable
CREATE TABLE "rollup_hour" (
    "component_id" TEXT NOT NULL,
    "bucket" TIMESTAMPTZ(3) NOT NULL,
    "count" BIGINT NOT NULL,
    "failures" BIGINT NOT NULL,
    "sum_ms" DOUBLE PRECISION NOT NULL,
    "min_ms" DOUBLE PRECISION,
    "max_ms" DOUBLE PRECISION,
    "hist_idx" SMALLINT[],
    "hist_counts" BIGINT[],

    CONSTRAINT "rollup_hour_pkey" PRIMARY KEY ("component_id","bucket")
);

-- CreateTable
CREATE TABLE "rollup_dirty" (
    "component_id" TEXT NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "rollup_dirty_pkey" PRIMARY KEY ("component_id","minute")
);

-- CreateTable
CREATE TABLE "notification_outbox" (
    "id" BIGSERIAL NOT NULL,
    "webhook" TEXT NOT NULL,
    "component_id" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "delivered_at" TIMESTAMPTZ(3),
    "failed_at" TIMESTAMPTZ(3),
    "last_error" TEXT,

    CONSTRAINT "notification_outbox_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "worker_heartbeat" (
    "worker_id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "beat_at" TIMESTAMPTZ(3) NOT NULL,
    "buffer_depth" INTEGER NOT NULL DEFAULT 0,
    "dropped_results" BIGINT NOT NULL DEFAULT 0,
    "components" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "worker_heartbeat_pkey" PRIMARY KEY ("worker_id")
);

-- CreateIndex
CREATE INDEX "probe_result_component_id_checked_at_idx" ON "probe_result"("component_id", "checked_at" DESC);

-- CreateIndex
CREATE INDEX "state_period_component_id_started_at_idx" ON "state_period"("component_id", "started_at" DESC);

-- CreateIndex
CREATE INDEX "state_period_component_id_ended_at_idx" ON "state_period"("component_id", "ended_at");

-- CreateIndex
CREATE INDEX "rollup_minute_bucket_idx" ON "rollup_minute"("bucket");

-- CreateIndex
CREATE INDEX "rollup_hour_bucket_idx" ON "rollup_hour"("bucket");

-- CreateIndex
CREATE INDEX "notification_outbox_delivered_at_failed_at_next_attempt_at_idx" ON "notification_outbox"("delivered_at", "failed_at", "next_attempt_at");
