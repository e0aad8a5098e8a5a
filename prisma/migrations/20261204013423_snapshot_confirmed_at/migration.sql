-- AlterTable
ALTER TABLE "readiness_snapshot" ADD COLUMN     "confirmed_at" TIMESTAMPTZ(3);
