-- Each exercise numbers its history events gap-free in commit order (the live stream's position).
-- Existing events are numbered in the order they were written.

-- AlterTable
ALTER TABLE "exercises" ADD COLUMN     "last_event_seq" BIGINT NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "notice_events" ADD COLUMN     "exercise_id" UUID,
ADD COLUMN     "exercise_seq" BIGINT;

-- Backfill: the exercise from the notice, the number by insertion order within the exercise
UPDATE "notice_events" e SET "exercise_id" = n."exercise_id" FROM "notices" n WHERE n."id" = e."notice_id";

UPDATE "notice_events" e SET "exercise_seq" = s.rn
  FROM (SELECT "id", row_number() OVER (PARTITION BY "exercise_id" ORDER BY "id") AS rn FROM "notice_events") s
 WHERE s."id" = e."id";

UPDATE "exercises" x SET "last_event_seq" = s.last
  FROM (SELECT "exercise_id", max("exercise_seq") AS last FROM "notice_events" GROUP BY "exercise_id") s
 WHERE s."exercise_id" = x."id";

ALTER TABLE "notice_events" ALTER COLUMN "exercise_id" SET NOT NULL,
ALTER COLUMN "exercise_seq" SET NOT NULL;

-- CreateIndex
CREATE UNIQUE INDEX "notice_events_exercise_id_exercise_seq_key" ON "notice_events"("exercise_id", "exercise_seq");
