-- AlterTable
ALTER TABLE "database_records" ADD COLUMN     "scenario_key" TEXT;

-- AlterTable
ALTER TABLE "persons" ADD COLUMN     "scenario_key" TEXT;

-- AlterTable
ALTER TABLE "searches" ADD COLUMN     "scenario_key" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "database_records_exercise_id_run_scenario_key_key" ON "database_records"("exercise_id", "run", "scenario_key");

-- CreateIndex
CREATE UNIQUE INDEX "persons_exercise_id_run_scenario_key_key" ON "persons"("exercise_id", "run", "scenario_key");

-- CreateIndex
CREATE UNIQUE INDEX "searches_exercise_id_run_scenario_key_key" ON "searches"("exercise_id", "run", "scenario_key");
