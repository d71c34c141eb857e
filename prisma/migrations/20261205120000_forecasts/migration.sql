-- AlterTable
ALTER TABLE "simulations" ADD COLUMN     "exercise_id" UUID,
ADD COLUMN     "kind" TEXT NOT NULL DEFAULT 'simulation';

-- CreateIndex
CREATE INDEX "simulations_exercise_id_idx" ON "simulations"("exercise_id");

-- AddForeignKey
ALTER TABLE "simulations" ADD CONSTRAINT "simulations_exercise_id_fkey" FOREIGN KEY ("exercise_id") REFERENCES "exercises"("id") ON DELETE CASCADE ON UPDATE CASCADE;
