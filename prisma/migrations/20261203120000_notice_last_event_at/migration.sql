-- A notice keeps the simulated time of its latest own event, so its "last change" reads on the
-- exercise's clock like its history (updated_at is wall time). Backfilled from the history: the
-- latest event with no circulation record's country.

-- AlterTable
ALTER TABLE "notices" ADD COLUMN "last_event_at" TIMESTAMPTZ(3);

UPDATE "notices" n SET "last_event_at" =
  (SELECT max(e."at") FROM "notice_events" e WHERE e."notice_id" = n."id" AND e."country" IS NULL);
