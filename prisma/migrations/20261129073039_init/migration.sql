-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "NoticeType" AS ENUM ('RED', 'YELLOW');

-- CreateEnum
CREATE TYPE "Role" AS ENUM ('ncb', 'gs', 'ccf', 'facilitator', 'observer', 'system');

-- CreateTable
CREATE TABLE "countries" (
    "code" CHAR(2) NOT NULL,
    "name" TEXT NOT NULL,

    CONSTRAINT "countries_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "exercises" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "sim_epoch" TIMESTAMPTZ(3) NOT NULL,
    "wall_anchor" TIMESTAMPTZ(3) NOT NULL,
    "speed" DOUBLE PRECISION NOT NULL DEFAULT 1,
    "running" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "exercises_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "participants" (
    "id" UUID NOT NULL,
    "exercise_id" UUID NOT NULL,
    "role" "Role" NOT NULL,
    "country" CHAR(2),
    "token_hash" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" TIMESTAMPTZ(3),

    CONSTRAINT "participants_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notices" (
    "id" UUID NOT NULL,
    "exercise_id" UUID NOT NULL,
    "type" "NoticeType" NOT NULL,
    "state" TEXT NOT NULL,
    "requesting_country" CHAR(2) NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "last_seq" INTEGER NOT NULL DEFAULT 0,
    "snapshot" JSONB NOT NULL,
    "published_at" TIMESTAMPTZ(3),
    "expires_at" TIMESTAMPTZ(3),
    "due_at" TIMESTAMPTZ(3),
    "due_event" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "notices_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "notice_events" (
    "id" BIGSERIAL NOT NULL,
    "notice_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "actor_role" "Role" NOT NULL,
    "actor_country" CHAR(2),
    "participant_id" UUID,
    "from_state" TEXT,
    "to_state" TEXT NOT NULL,
    "country" CHAR(2),
    "at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "payload" JSONB NOT NULL,

    CONSTRAINT "notice_events_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "circulation_records" (
    "notice_id" UUID NOT NULL,
    "country" CHAR(2) NOT NULL,
    "state" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 1,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "circulation_records_pkey" PRIMARY KEY ("notice_id","country")
);

-- CreateIndex
CREATE UNIQUE INDEX "participants_token_hash_key" ON "participants"("token_hash");

-- CreateIndex
CREATE INDEX "participants_exercise_id_idx" ON "participants"("exercise_id");

-- CreateIndex
CREATE INDEX "notices_exercise_id_state_idx" ON "notices"("exercise_id", "state");

-- CreateIndex
CREATE INDEX "notices_exercise_id_type_idx" ON "notices"("exercise_id", "type");

-- CreateIndex
CREATE INDEX "notices_exercise_id_requesting_country_idx" ON "notices"("exercise_id", "requesting_country");

-- CreateIndex
CREATE INDEX "notices_due_at_idx" ON "notices"("due_at");

-- CreateIndex
CREATE UNIQUE INDEX "notice_events_notice_id_seq_key" ON "notice_events"("notice_id", "seq");

-- CreateIndex
CREATE INDEX "circulation_records_notice_id_state_idx" ON "circulation_records"("notice_id", "state");

-- AddForeignKey
ALTER TABLE "participants" ADD CONSTRAINT "participants_exercise_id_fkey" FOREIGN KEY ("exercise_id") REFERENCES "exercises"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notices" ADD CONSTRAINT "notices_exercise_id_fkey" FOREIGN KEY ("exercise_id") REFERENCES "exercises"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "notice_events" ADD CONSTRAINT "notice_events_notice_id_fkey" FOREIGN KEY ("notice_id") REFERENCES "notices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "circulation_records" ADD CONSTRAINT "circulation_records_notice_id_fkey" FOREIGN KEY ("notice_id") REFERENCES "notices"("id") ON DELETE CASCADE ON UPDATE CASCADE;
