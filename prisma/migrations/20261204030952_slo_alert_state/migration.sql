-- CreateTable
CREATE TABLE "slo_alert_state" (
    "slo_id" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "changed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slo_alert_state_pkey" PRIMARY KEY ("slo_id")
);
