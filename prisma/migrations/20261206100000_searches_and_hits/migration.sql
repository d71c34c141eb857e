-- CreateTable
CREATE TABLE "searches" (
    "id" UUID NOT NULL,
    "exercise_id" UUID NOT NULL,
    "run" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "query" JSONB NOT NULL,
    "searcher_role" "Role" NOT NULL,
    "searcher_country" CHAR(2),
    "participant_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "searches_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "hits" (
    "id" UUID NOT NULL,
    "serial" BIGSERIAL NOT NULL,
    "search_id" UUID NOT NULL,
    "exercise_id" UUID NOT NULL,
    "run" INTEGER NOT NULL,
    "score" DOUBLE PRECISION NOT NULL,
    "matched_kind" TEXT NOT NULL,
    "record_id" UUID,
    "owner_country" CHAR(2) NOT NULL,
    "searcher_role" "Role" NOT NULL,
    "searcher_country" CHAR(2),
    "at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "exercise_seq" BIGINT,

    CONSTRAINT "hits_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "searches_exercise_id_run_idx" ON "searches"("exercise_id", "run");

-- CreateIndex
CREATE INDEX "hits_unnumbered_idx" ON "hits"("exercise_id", "serial") WHERE "exercise_seq" IS NULL;

-- CreateIndex
CREATE INDEX "hits_search_id_idx" ON "hits"("search_id");

-- CreateIndex
CREATE UNIQUE INDEX "hits_exercise_id_exercise_seq_key" ON "hits"("exercise_id", "exercise_seq");

-- CreateIndex
CREATE INDEX "database_records_exercise_id_template_idx" ON "database_records"("exercise_id", "template");

-- AddForeignKey
ALTER TABLE "searches" ADD CONSTRAINT "searches_exercise_id_fkey" FOREIGN KEY ("exercise_id") REFERENCES "exercises"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hits" ADD CONSTRAINT "hits_search_id_fkey" FOREIGN KEY ("search_id") REFERENCES "searches"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "hits" ADD CONSTRAINT "hits_record_id_fkey" FOREIGN KEY ("record_id") REFERENCES "database_records"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Database records' changes and hits share the exercise's positions with the notices' events (hits are
-- told on the stream, to the owner of what matched): a round numbers the committed unnumbered rows of
-- the three tables from the counter on, notices' first, then records', then hits', each in the order
-- written, as 20261205100000_number_exercise_events describes. One block per table rather than dynamic
-- SQL: the sequencer runs after every write, and static statements keep their cached plans.
CREATE OR REPLACE FUNCTION number_exercise_events(p_exercise uuid) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  of_notices bigint;
  of_records bigint;
  of_hits bigint;
BEGIN
  PERFORM 1 FROM exercises WHERE id = p_exercise FOR NO KEY UPDATE;
  IF NOT FOUND THEN
    RETURN 0;
  END IF;
  WITH pending AS (
    SELECT id, row_number() OVER (ORDER BY id) AS n FROM notice_events
     WHERE exercise_id = p_exercise AND exercise_seq IS NULL
  ), done AS (
    UPDATE notice_events e SET exercise_seq = x.last_event_seq + p.n
      FROM pending p, exercises x
     WHERE e.id = p.id AND x.id = p_exercise
    RETURNING e.id
  ), moved AS (
    UPDATE exercises SET last_event_seq = last_event_seq + (SELECT count(*) FROM done)
     WHERE id = p_exercise
    RETURNING 1
  )
  SELECT count(*) INTO of_notices FROM done, moved;
  WITH pending AS (
    SELECT id, row_number() OVER (ORDER BY id) AS n FROM record_events
     WHERE exercise_id = p_exercise AND exercise_seq IS NULL
  ), done AS (
    UPDATE record_events e SET exercise_seq = x.last_event_seq + p.n
      FROM pending p, exercises x
     WHERE e.id = p.id AND x.id = p_exercise
    RETURNING e.id
  ), moved AS (
    UPDATE exercises SET last_event_seq = last_event_seq + (SELECT count(*) FROM done)
     WHERE id = p_exercise
    RETURNING 1
  )
  SELECT count(*) INTO of_records FROM done, moved;
  WITH pending AS (
    SELECT id, row_number() OVER (ORDER BY serial) AS n FROM hits
     WHERE exercise_id = p_exercise AND exercise_seq IS NULL
  ), done AS (
    UPDATE hits e SET exercise_seq = x.last_event_seq + p.n
      FROM pending p, exercises x
     WHERE e.id = p.id AND x.id = p_exercise
    RETURNING e.id
  ), moved AS (
    UPDATE exercises SET last_event_seq = last_event_seq + (SELECT count(*) FROM done)
     WHERE id = p_exercise
    RETURNING 1
  )
  SELECT count(*) INTO of_hits FROM done, moved;
  IF of_notices + of_records + of_hits > 0 THEN
    PERFORM pg_notify('exercise_events', p_exercise::text);
  END IF;
  RETURN of_notices + of_records + of_hits;
END
$$;
