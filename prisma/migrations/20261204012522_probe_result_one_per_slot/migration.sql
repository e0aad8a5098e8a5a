-- Hand-edited: one raw result per component and slot. Two workers that both probed a slot (each probes everything
-- while the ownership lock is unreachable) stored it twice, and the rollups counted it twice; the writer now inserts
-- with ON CONFLICT DO NOTHING (lib/history/write-batch.ts). Earlier duplicates are removed first, the first kept.
DELETE FROM "probe_result" a
USING "probe_result" b
WHERE a."component_id" = b."component_id" AND a."checked_at" = b."checked_at" AND a."id" > b."id";

-- DropIndex
DROP INDEX "probe_result_component_id_checked_at_idx";

-- CreateIndex
CREATE UNIQUE INDEX "probe_result_component_id_checked_at_key" ON "probe_result"("component_id", "checked_at" DESC);
