-- AlterTable
ALTER TABLE "notices" ADD COLUMN     "addenda" JSONB NOT NULL DEFAULT '[]';
