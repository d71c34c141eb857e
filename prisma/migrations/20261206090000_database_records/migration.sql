-- The extensions of name searches: trigram similarity and its index (pg_trgm), edit distance and phonetic
-- codes (fuzzystrmatch). PostgreSQL ships them in contrib; PGlite is handed them at its start
-- (src/db/pglite-extensions.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS fuzzystrmatch;

-- CreateTable
CREATE TABLE "database_records" (
    "id" UUID NOT NULL,
    "exercise_id" UUID NOT NULL,
    "run" INTEGER NOT NULL DEFAULT 1,
    "kind" TEXT NOT NULL,
    "owner_country" CHAR(2) NOT NULL,
    "recipients" JSONB,
    "person_id" UUID,
    "data" JSONB NOT NULL,
    "name_key" TEXT,
    "birth_date" TEXT,
    "document_key" TEXT,
    "vin" TEXT,
    "plate_key" TEXT,
    "template" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "last_seq" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "deleted_at" TIMESTAMPTZ(3),

    CONSTRAINT "database_records_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "record_events" (
    "id" BIGSERIAL NOT NULL,
    "record_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "actor_role" "Role" NOT NULL,
    "actor_country" CHAR(2),
    "participant_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" JSONB NOT NULL,
    "recipients" JSONB,
    "recipients_before" JSONB,
    "exercise_id" UUID NOT NULL,
    "exercise_seq" BIGINT,

    CONSTRAINT "record_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "database_records_exercise_id_run_kind_idx" ON "database_records"("exercise_id", "run", "kind");

-- CreateIndex
CREATE INDEX "database_records_name_trgm_idx" ON "database_records" USING GIN ("name_key" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "database_records_exercise_id_document_key_idx" ON "database_records"("exercise_id", "document_key");

-- CreateIndex
CREATE INDEX "database_records_exercise_id_vin_idx" ON "database_records"("exercise_id", "vin");

-- CreateIndex
CREATE INDEX "database_records_exercise_id_plate_key_idx" ON "database_records"("exercise_id", "plate_key");

-- CreateIndex
CREATE INDEX "record_events_unnumbered_idx" ON "record_events"("exercise_id", "id") WHERE "exercise_seq" IS NULL;

-- CreateIndex
CREATE UNIQUE INDEX "record_events_record_id_seq_key" ON "record_events"("record_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "record_events_exercise_id_exercise_seq_key" ON "record_events"("exercise_id", "exercise_seq");

-- AddForeignKey
ALTER TABLE "database_records" ADD CONSTRAINT "database_records_exercise_id_fkey" FOREIGN KEY ("exercise_id") REFERENCES "exercises"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "record_events" ADD CONSTRAINT "record_events_record_id_fkey" FOREIGN KEY ("record_id") REFERENCES "database_records"("id") ON DELETE CASCADE ON UPDATE CASCADE;
