-- Sign-in attempts per account and per address in their window (lib/auth/throttle.ts): counted here when there is
-- no Redis, and while Redis does not answer, so sign-in keeps working and stays throttled through a Redis outage.
-- The app role gets SELECT, INSERT, UPDATE and DELETE through the default privileges of 20261128120000.
-- CreateTable
CREATE TABLE "auth_login_throttle" (
    "key" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "auth_login_throttle_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "auth_login_throttle_expires_at_idx" ON "auth_login_throttle"("expires_at");
