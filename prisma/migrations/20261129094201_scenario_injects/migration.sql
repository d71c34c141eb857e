-- CreateEnum
CREATE TYPE "InjectStatus" AS ENUM ('pending', 'done', 'failed', 'skipped');

-- AlterTable
ALTER TABLE "exercises" ADD COLUMN     "scenario" JSONB;

-- AlterTable
ALTER TABLE "participants" ADD COLUMN     "key" TEXT,
ADD COLUMN     "name" TEXT;

-- CreateTable
CREATE TABLE "injects" (
    "id" UUID NOT NULL,
    "exercise_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "participant_id" UUID NOT NULL,
    "action" JSONB NOT NULL,
    "notice_key" TEXT NOT NULL,
    "status" "InjectStatus" NOT NULL DEFAULT 'pending',
    "notice_id" UUID,
    "error" JSONB,
    "fired_at" TIMESTAMPTZ(3),

    CONSTRAINT "injects_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "injects_exercise_id_status_at_idx" ON "injects"("exercise_id", "status", "at");

-- CreateIndex
CREATE INDEX "injects_status_at_idx" ON "injects"("status", "at");

-- CreateIndex
CREATE UNIQUE INDEX "injects_exercise_id_seq_key" ON "injects"("exercise_id", "seq");

-- CreateIndex
CREATE UNIQUE INDEX "participants_exercise_id_key_key" ON "participants"("exercise_id", "key");

-- AddForeignKey
ALTER TABLE "injects" ADD CONSTRAINT "injects_exercise_id_fkey" FOREIGN KEY ("exercise_id") REFERENCES "exercises"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "injects" ADD CONSTRAINT "injects_participant_id_fkey" FOREIGN KEY ("participant_id") REFERENCES "participants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
