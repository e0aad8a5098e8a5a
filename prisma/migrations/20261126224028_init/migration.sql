-- CreateEnum
CREATE TYPE "ComponentStatus" AS ENUM ('up', 'degraded', 'down', 'unknown');

-- CreateTable
CREATE TABLE "probe_result" (
    "id" BIGSERIAL NOT NULL,
    "component_id" TEXT NOT NULL,
    "checked_at" TIMESTAMPTZ(3) NOT NULL,
    "ok" BOOLEAN NOT NULL,
    "latency_ms" DOUBLE PRECISION NOT NULL,
    "detail" TEXT,
    "error" TEXT,
    "worker_id" TEXT NOT NULL,

    CONSTRAINT "probe_result_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "component_state" (
    "component_id" TEXT NOT NULL,
    "status" "ComponentStatus" NOT NULL DEFAULT 'unknown',
    "since" TIMESTAMPTZ(3) NOT NULL,
    "last_checked_at" TIMESTAMPTZ(3),
    "last_latency_ms" DOUBLE PRECISION,
    "last_detail" TEXT,
    "last_error" TEXT,
    "consecutive_failures" INTEGER NOT NULL DEFAULT 0,
    "consecutive_successes" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "component_state_pkey" PRIMARY KEY ("component_id")
);

-- CreateTable
CREATE TABLE "worker_heartbeat" (
    "worker_id" TEXT NOT NULL,
    "host" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL,
    "beat_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "worker_heartbeat_pkey" PRIMARY KEY ("worker_id")
);

-- CreateIndex
CREATE INDEX "probe_result_component_id_checked_at_idx" ON "probe_result"("component_id", "checked_at" DESC);

-- CreateIndex
CREATE INDEX "probe_result_checked_at_idx" ON "probe_result"("checked_at");
