-- CreateTable
CREATE TABLE "release_artefact" (
    "id" BIGSERIAL NOT NULL,
    "release" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "digest" TEXT NOT NULL,
    "named_at" TIMESTAMPTZ(3) NOT NULL,
    "source" TEXT NOT NULL,

    CONSTRAINT "release_artefact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "readiness_statement" (
    "id" BIGSERIAL NOT NULL,
    "release" TEXT NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,
    "keyid" TEXT NOT NULL,
    "digests" TEXT[],
    "snapshot_id" BIGINT NOT NULL,
    "snapshot_hash" TEXT NOT NULL,
    "signoff_ids" TEXT NOT NULL,
    "envelope" TEXT NOT NULL,

    CONSTRAINT "readiness_statement_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "release_artefact_release_digest_key" ON "release_artefact"("release", "digest");

-- CreateIndex
CREATE INDEX "readiness_statement_release_issued_at_idx" ON "readiness_statement"("release", "issued_at" DESC);

-- CreateIndex
CREATE INDEX "readiness_statement_digests_idx" ON "readiness_statement" USING GIN ("digests");
