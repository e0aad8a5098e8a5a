-- Which critical checks and criteria had failed in each snapshot (lib/readiness/snapshot.ts), so a sign-off goes stale
-- when one fails that had not failed at signing even if the count of failures stayed the same. Older rows keep an
-- empty list, and for them the count is compared as before.
-- AlterTable
ALTER TABLE "readiness_snapshot" ADD COLUMN     "critical_failed_ids" TEXT[] DEFAULT ARRAY[]::TEXT[];
