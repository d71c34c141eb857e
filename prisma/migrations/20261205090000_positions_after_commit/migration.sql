-- Positions are numbered after commit by the exercise's sequencer (src/exercises/exercise-sequencer.ts):
-- a history row is inserted without one.
ALTER TABLE "notice_events" ALTER COLUMN "exercise_seq" DROP NOT NULL;

-- The sequencer's work list: an exercise's rows not numbered yet, in id order.
CREATE INDEX "notice_events_unnumbered_idx" ON "notice_events"("exercise_id", "id") WHERE "exercise_seq" IS NULL;
