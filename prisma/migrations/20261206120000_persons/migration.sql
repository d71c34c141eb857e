-- AlterTable
ALTER TABLE "database_records" DROP COLUMN "person_id";

-- CreateTable
CREATE TABLE "persons" (
    "id" UUID NOT NULL,
    "exercise_id" UUID NOT NULL,
    "run" INTEGER NOT NULL,
    "label" TEXT NOT NULL,
    "creator_role" "Role" NOT NULL,
    "creator_country" CHAR(2),
    "at" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "persons_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "person_links" (
    "id" BIGSERIAL NOT NULL,
    "person_id" UUID NOT NULL,
    "record_id" UUID,
    "notice_id" UUID,
    "hit_id" UUID,

    CONSTRAINT "person_links_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "person_events" (
    "id" BIGSERIAL NOT NULL,
    "person_id" UUID NOT NULL,
    "type" TEXT NOT NULL,
    "record_id" UUID,
    "notice_id" UUID,
    "hit_id" UUID,
    "reason" TEXT NOT NULL,
    "actor_role" "Role" NOT NULL,
    "actor_country" CHAR(2),
    "participant_id" UUID,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "recorded_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "person_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "persons_exercise_id_run_idx" ON "persons"("exercise_id", "run");

-- CreateIndex
CREATE UNIQUE INDEX "person_links_record_id_key" ON "person_links"("record_id");

-- CreateIndex
CREATE UNIQUE INDEX "person_links_notice_id_key" ON "person_links"("notice_id");

-- CreateIndex
CREATE UNIQUE INDEX "person_links_hit_id_key" ON "person_links"("hit_id");

-- CreateIndex
CREATE INDEX "person_links_person_id_idx" ON "person_links"("person_id");

-- CreateIndex
CREATE INDEX "person_events_person_id_id_idx" ON "person_events"("person_id", "id");

-- AddForeignKey
ALTER TABLE "persons" ADD CONSTRAINT "persons_exercise_id_fkey" FOREIGN KEY ("exercise_id") REFERENCES "exercises"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "person_links" ADD CONSTRAINT "person_links_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "person_links" ADD CONSTRAINT "person_links_record_id_fkey" FOREIGN KEY ("record_id") REFERENCES "database_records"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "person_links" ADD CONSTRAINT "person_links_notice_id_fkey" FOREIGN KEY ("notice_id") REFERENCES "notices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "person_links" ADD CONSTRAINT "person_links_hit_id_fkey" FOREIGN KEY ("hit_id") REFERENCES "hits"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "person_events" ADD CONSTRAINT "person_events_person_id_fkey" FOREIGN KEY ("person_id") REFERENCES "persons"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- A link, and a link's event, is of exactly one record, notice or hit (a CREATE of none).
ALTER TABLE "person_links" ADD CONSTRAINT "person_links_one_target"
  CHECK (num_nonnulls("record_id", "notice_id", "hit_id") = 1);
ALTER TABLE "person_events" ADD CONSTRAINT "person_events_target"
  CHECK (num_nonnulls("record_id", "notice_id", "hit_id") = CASE WHEN "type" = 'CREATE' THEN 0 ELSE 1 END);
