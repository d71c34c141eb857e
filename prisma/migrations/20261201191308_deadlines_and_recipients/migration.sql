-- Deadlines move from two columns on the notice (one at most) to rows of their own, so that a notice
-- can carry several and a circulation record its own. Notices keep their recipients (null: every
-- member but the requester). The machine context's `deadline` becomes a list, `deadlines`, and every
-- stored check result gets the list of fields it found missing (empty for results stored before).

-- CreateTable
CREATE TABLE "deadlines" (
    "id" BIGSERIAL NOT NULL,
    "exercise_id" UUID NOT NULL,
    "notice_id" UUID NOT NULL,
    "country" CHAR(2),
    "event" TEXT NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "deadlines_pkey" PRIMARY KEY ("id")
);

-- Backfill: each notice's pending deadline becomes a row
INSERT INTO "deadlines" ("exercise_id", "notice_id", "event", "due_at")
SELECT "exercise_id", "id", "due_event", "due_at" FROM "notices" WHERE "due_at" IS NOT NULL AND "due_event" IS NOT NULL;

UPDATE "notices" SET "snapshot" = jsonb_set(
  "snapshot" #- '{context,deadline}',
  '{context,deadlines}',
  CASE WHEN jsonb_typeof("snapshot" #> '{context,deadline}') = 'object'
       THEN jsonb_build_array("snapshot" #> '{context,deadline}') ELSE '[]'::jsonb END);

UPDATE "notices" SET "snapshot" = jsonb_set("snapshot", '{context,checks}', COALESCE(
  (SELECT jsonb_agg(c || jsonb_build_object('missing', COALESCE(c -> 'missing', '[]'::jsonb))
                    ORDER BY i)
     FROM jsonb_array_elements("snapshot" #> '{context,checks}') WITH ORDINALITY AS t(c, i)),
  '[]'::jsonb))
 WHERE jsonb_typeof("snapshot" #> '{context,checks}') = 'array';

-- DropIndex
DROP INDEX "notices_due_at_idx";

-- AlterTable
ALTER TABLE "notices" DROP COLUMN "due_at",
DROP COLUMN "due_event",
ADD COLUMN     "recipients" JSONB;

-- CreateIndex
CREATE INDEX "deadlines_exercise_id_due_at_idx" ON "deadlines"("exercise_id", "due_at");

-- CreateIndex
CREATE INDEX "deadlines_due_at_idx" ON "deadlines"("due_at");

-- CreateIndex
CREATE INDEX "deadlines_notice_id_idx" ON "deadlines"("notice_id");

-- AddForeignKey
ALTER TABLE "deadlines" ADD CONSTRAINT "deadlines_notice_id_fkey" FOREIGN KEY ("notice_id") REFERENCES "notices"("id") ON DELETE CASCADE ON UPDATE CASCADE;
