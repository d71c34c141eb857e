-- Runs: a reset starts an exercise’s next run, and every run-scoped row (notices, and through them
-- their history, records and deadlines, and injects) carries the run it belongs to. Rows written before
-- are run 1. Each exercise keeps the simulated time it started at, where a reset takes the clock back:
-- a scenario’s start, or (without a scenario) the time it was created, which is when its clock started.

-- DropIndex
DROP INDEX "injects_exercise_id_seq_key";

-- AlterTable
ALTER TABLE "exercises" ADD COLUMN     "run" INTEGER NOT NULL DEFAULT 1,
ADD COLUMN     "sim_start" TIMESTAMPTZ(3);

-- Backfill: the scenario’s start, or the creation time
UPDATE "exercises" SET "sim_start" = COALESCE(("scenario" ->> 'start')::timestamptz, "created_at");

ALTER TABLE "exercises" ALTER COLUMN "sim_start" SET NOT NULL;

-- AlterTable
ALTER TABLE "injects" ADD COLUMN     "run" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "notices" ADD COLUMN     "run" INTEGER NOT NULL DEFAULT 1;

-- CreateTable
CREATE TABLE "exercise_resets" (
    "exercise_id" UUID NOT NULL,
    "run" INTEGER NOT NULL,
    "exercise_seq" BIGINT NOT NULL,
    "participant_id" UUID,
    "sim_epoch" TIMESTAMPTZ(3) NOT NULL,
    "wall_anchor" TIMESTAMPTZ(3) NOT NULL,
    "speed" DOUBLE PRECISION NOT NULL,
    "running" BOOLEAN NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "exercise_resets_pkey" PRIMARY KEY ("exercise_id","run")
);

-- CreateIndex
CREATE UNIQUE INDEX "exercise_resets_exercise_id_exercise_seq_key" ON "exercise_resets"("exercise_id", "exercise_seq");

-- CreateIndex
CREATE UNIQUE INDEX "injects_exercise_id_run_seq_key" ON "injects"("exercise_id", "run", "seq");

-- CreateIndex
CREATE INDEX "notices_exercise_id_run_idx" ON "notices"("exercise_id", "run");

-- AddForeignKey
ALTER TABLE "exercise_resets" ADD CONSTRAINT "exercise_resets_exercise_id_fkey" FOREIGN KEY ("exercise_id") REFERENCES "exercises"("id") ON DELETE CASCADE ON UPDATE CASCADE;
