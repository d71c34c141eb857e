-- CreateTable
CREATE TABLE "messages" (
    "id" UUID NOT NULL,
    "serial" BIGSERIAL NOT NULL,
    "exercise_id" UUID NOT NULL,
    "run" INTEGER NOT NULL,
    "thread_id" UUID NOT NULL,
    "reply_to" UUID,
    "sender" TEXT NOT NULL,
    "sender_role" "Role" NOT NULL,
    "participant_id" UUID,
    "recipients" TEXT[],
    "priority" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "about_notice_id" UUID,
    "about_country" CHAR(2),
    "about_hit_id" UUID,
    "scenario_key" TEXT,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "exercise_seq" BIGINT,

    CONSTRAINT "messages_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "message_reads" (
    "message_id" UUID NOT NULL,
    "reader" TEXT NOT NULL,
    "serial" BIGSERIAL NOT NULL,
    "exercise_id" UUID NOT NULL,
    "participant_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "exercise_seq" BIGINT,

    CONSTRAINT "message_reads_pkey" PRIMARY KEY ("message_id","reader")
);

-- CreateIndex
CREATE INDEX "messages_unnumbered_idx" ON "messages"("exercise_id", "serial") WHERE "exercise_seq" IS NULL;

-- CreateIndex
CREATE INDEX "messages_exercise_id_run_at_idx" ON "messages"("exercise_id", "run", "at");

-- CreateIndex
CREATE INDEX "messages_thread_id_idx" ON "messages"("thread_id");

-- CreateIndex
CREATE INDEX "messages_about_notice_id_idx" ON "messages"("about_notice_id");

-- CreateIndex
CREATE UNIQUE INDEX "messages_exercise_id_exercise_seq_key" ON "messages"("exercise_id", "exercise_seq");

-- CreateIndex
CREATE UNIQUE INDEX "messages_exercise_id_run_scenario_key_key" ON "messages"("exercise_id", "run", "scenario_key");

-- CreateIndex
CREATE INDEX "message_reads_unnumbered_idx" ON "message_reads"("exercise_id", "serial") WHERE "exercise_seq" IS NULL;

-- CreateIndex
CREATE UNIQUE INDEX "message_reads_exercise_id_exercise_seq_key" ON "message_reads"("exercise_id", "exercise_seq");

-- AddForeignKey
ALTER TABLE "messages" ADD CONSTRAINT "messages_exercise_id_fkey" FOREIGN KEY ("exercise_id") REFERENCES "exercises"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "message_reads" ADD CONSTRAINT "message_reads_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "messages"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Messages and their read receipts take the exercise's positions too (they are told on the stream):
-- after the notices', records' and hits' rows, each table in the order written, as
-- 20261206100000_searches_and_hits numbers the others.
CREATE OR REPLACE FUNCTION number_exercise_events(p_exercise uuid) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  of_notice_events bigint;
  of_record_events bigint;
  of_hits bigint;
  of_messages bigint;
  of_message_reads bigint;
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
    RETURNING 1
  ), moved AS (
    UPDATE exercises SET last_event_seq = last_event_seq + (SELECT count(*) FROM done)
     WHERE id = p_exercise
    RETURNING 1
  )
  SELECT count(*) INTO of_notice_events FROM done, moved;
  WITH pending AS (
    SELECT id, row_number() OVER (ORDER BY id) AS n FROM record_events
     WHERE exercise_id = p_exercise AND exercise_seq IS NULL
  ), done AS (
    UPDATE record_events e SET exercise_seq = x.last_event_seq + p.n
      FROM pending p, exercises x
     WHERE e.id = p.id AND x.id = p_exercise
    RETURNING 1
  ), moved AS (
    UPDATE exercises SET last_event_seq = last_event_seq + (SELECT count(*) FROM done)
     WHERE id = p_exercise
    RETURNING 1
  )
  SELECT count(*) INTO of_record_events FROM done, moved;
  WITH pending AS (
    SELECT id, row_number() OVER (ORDER BY serial) AS n FROM hits
     WHERE exercise_id = p_exercise AND exercise_seq IS NULL
  ), done AS (
    UPDATE hits e SET exercise_seq = x.last_event_seq + p.n
      FROM pending p, exercises x
     WHERE e.id = p.id AND x.id = p_exercise
    RETURNING 1
  ), moved AS (
    UPDATE exercises SET last_event_seq = last_event_seq + (SELECT count(*) FROM done)
     WHERE id = p_exercise
    RETURNING 1
  )
  SELECT count(*) INTO of_hits FROM done, moved;
  WITH pending AS (
    SELECT id, row_number() OVER (ORDER BY serial) AS n FROM messages
     WHERE exercise_id = p_exercise AND exercise_seq IS NULL
  ), done AS (
    UPDATE messages e SET exercise_seq = x.last_event_seq + p.n
      FROM pending p, exercises x
     WHERE e.id = p.id AND x.id = p_exercise
    RETURNING 1
  ), moved AS (
    UPDATE exercises SET last_event_seq = last_event_seq + (SELECT count(*) FROM done)
     WHERE id = p_exercise
    RETURNING 1
  )
  SELECT count(*) INTO of_messages FROM done, moved;
  WITH pending AS (
    SELECT message_id, reader, row_number() OVER (ORDER BY serial) AS n FROM message_reads
     WHERE exercise_id = p_exercise AND exercise_seq IS NULL
  ), done AS (
    UPDATE message_reads e SET exercise_seq = x.last_event_seq + p.n
      FROM pending p, exercises x
     WHERE e.message_id = p.message_id AND e.reader = p.reader AND x.id = p_exercise
    RETURNING 1
  ), moved AS (
    UPDATE exercises SET last_event_seq = last_event_seq + (SELECT count(*) FROM done)
     WHERE id = p_exercise
    RETURNING 1
  )
  SELECT count(*) INTO of_message_reads FROM done, moved;
  IF of_notice_events + of_record_events + of_hits + of_messages + of_message_reads > 0 THEN
    PERFORM pg_notify('exercise_events', p_exercise::text);
  END IF;
  RETURN of_notice_events + of_record_events + of_hits + of_messages + of_message_reads;
END
$$;
