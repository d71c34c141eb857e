-- AlterTable
ALTER TABLE "hits" ADD COLUMN     "notice_id" UUID,
ADD COLUMN     "reported_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "notices" ADD COLUMN     "subject_birth_date" TEXT,
ADD COLUMN     "subject_dna" TEXT,
ADD COLUMN     "subject_name_key" TEXT,
ADD COLUMN     "subject_prints" TEXT;

-- CreateIndex
CREATE INDEX "notices_subject_name_trgm_idx" ON "notices" USING GIN ("subject_name_key" gin_trgm_ops);

-- CreateIndex
CREATE INDEX "notices_exercise_id_subject_prints_idx" ON "notices"("exercise_id", "subject_prints");

-- CreateIndex
CREATE INDEX "notices_exercise_id_subject_dna_idx" ON "notices"("exercise_id", "subject_dna");

-- AddForeignKey
ALTER TABLE "hits" ADD CONSTRAINT "hits_notice_id_fkey" FOREIGN KEY ("notice_id") REFERENCES "notices"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The subjects of the notices written before this migration, from their snapshots. The name key is the
-- approximation SQL can make of src/kernel/name-keys.ts (accents of Latin letters taken off, other
-- characters as spaces, the words sorted); the notice's next write replaces it with the full
-- transliteration (Cyrillic and other scripts too).
UPDATE "notices" n SET
  "subject_birth_date" = n."snapshot" #>> '{context,request,subject,dateOfBirth}',
  "subject_prints" = n."snapshot" #>> '{context,request,subject,fingerprintsRef}',
  "subject_dna" = n."snapshot" #>> '{context,request,subject,dnaRef}',
  "subject_name_key" = (
    SELECT nullif(string_agg(w, ' ' ORDER BY w COLLATE "C"), '')
      FROM regexp_split_to_table(
             translate(lower(coalesce(n."snapshot" #>> '{context,request,subject,familyName}', '') || ' ' ||
                             coalesce(n."snapshot" #>> '{context,request,subject,forename}', '')),
                       'áàâäãåāăąçćčďđéèêëēėęěíìîïīįłñńňóòôöõøōőŕřśšşťţúùûüūůűųýÿźžż',
                       'aaaaaaaaacccddeeeeeeeeiiiiiilnnnoooooooorrsssttuuuuuuuuyyzzz'),
             '[^a-z0-9]+') AS w
     WHERE w <> '');
