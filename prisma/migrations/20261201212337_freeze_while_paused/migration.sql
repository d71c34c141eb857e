-- While the facilitator has paused the clock, teams may not change anything unless the exercise opts out
-- (a self-paced class). Exercises made before keep to the rule.

-- AlterTable
ALTER TABLE "exercises" ADD COLUMN     "freeze_while_paused" BOOLEAN NOT NULL DEFAULT true;
