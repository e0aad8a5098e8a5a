-- CreateTable
CREATE TABLE "release_deployment" (
    "id" BIGSERIAL NOT NULL,
    "release" TEXT NOT NULL,
    "deployed_at" TIMESTAMPTZ(3) NOT NULL,
    "by" TEXT NOT NULL,
    "source" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "verdict" TEXT,
    "verdict_at" TIMESTAMPTZ(3),
    "figures" JSONB,

    CONSTRAINT "release_deployment_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "release_deployment_release_key" ON "release_deployment"("release");
