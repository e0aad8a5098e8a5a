-- CreateEnum
CREATE TYPE "PlanTaskStatus" AS ENUM ('todo', 'in_progress', 'done', 'blocked');

-- CreateEnum
CREATE TYPE "RiskStatus" AS ENUM ('open', 'mitigated', 'accepted', 'closed');

-- CreateEnum
CREATE TYPE "ChecklistKind" AS ENUM ('recommendation', 'pre_deployment', 'post_deployment');

-- CreateTable
CREATE TABLE "plan_seed" (
    "id" INTEGER NOT NULL DEFAULT 1,
    "seeded_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "plan_seed_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan_phase" (
    "id" UUID NOT NULL,
    "position" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "start_date" DATE,
    "end_date" DATE,
    "expected_readiness_pct" DOUBLE PRECISION,
    "goal" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "plan_phase_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "plan_task" (
    "id" UUID NOT NULL,
    "phase_id" UUID,
    "title" TEXT NOT NULL,
    "owner" TEXT NOT NULL DEFAULT '',
    "due_date" DATE,
    "status" "PlanTaskStatus" NOT NULL DEFAULT 'todo',
    "critical_path" BOOLEAN NOT NULL DEFAULT false,
    "notes" TEXT NOT NULL DEFAULT '',
    "position" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "plan_task_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "limitation" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "impact" TEXT NOT NULL DEFAULT '',
    "mitigation" TEXT NOT NULL DEFAULT '',
    "timeline" TEXT NOT NULL DEFAULT '',
    "blocking" BOOLEAN NOT NULL DEFAULT false,
    "resolved_at" TIMESTAMPTZ(3),
    "position" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "limitation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "risk" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "area" TEXT NOT NULL DEFAULT 'operational',
    "probability" INTEGER NOT NULL,
    "impact" INTEGER NOT NULL,
    "mitigation" TEXT NOT NULL DEFAULT '',
    "owner" TEXT NOT NULL DEFAULT '',
    "status" "RiskStatus" NOT NULL DEFAULT 'open',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "risk_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "checklist_item" (
    "id" UUID NOT NULL,
    "kind" "ChecklistKind" NOT NULL,
    "text" TEXT NOT NULL,
    "done" BOOLEAN NOT NULL DEFAULT false,
    "position" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "checklist_item_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "plan_task_phase_id_idx" ON "plan_task"("phase_id");

-- CreateIndex
CREATE INDEX "checklist_item_kind_position_idx" ON "checklist_item"("kind", "position");

-- AddForeignKey
ALTER TABLE "plan_task" ADD CONSTRAINT "plan_task_phase_id_fkey" FOREIGN KEY ("phase_id") REFERENCES "plan_phase"("id") ON DELETE SET NULL ON UPDATE CASCADE;
