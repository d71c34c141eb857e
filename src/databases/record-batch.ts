/**
 * An import's records in SQL: a batch of records, their CREATE entries and their links to persons in
 * one statement, from one JSON document the database unpacks (json_to_recordset), which costs less
 * than an array per column (the driver escapes each element).
 */
import type { Tx } from '../db/transaction';
import type { Actor } from '../exercises/exercise-types';
import type { RecordKeys } from './record-keys';
import type { RecordKind } from './record-schemas';

export interface ImportedRecord {
  id: string;
  kind: RecordKind;
  ownerCountry: string;
  recipients: string[] | null;
  data: Record<string, unknown>;
  keys: RecordKeys;
  personId?: string;
  /** The local key a scenario gave it. */
  scenarioKey?: string | undefined;
}

/** Who imported, and when: the CREATE entry of each record. */
export interface ImportEntry {
  actor: Actor;
  participantId: string | null;
  at: Date;
}

/** Records per statement of an import: one JSON document each, which the database unpacks. */
export const IMPORT_BATCH = 5000;

export async function insertBatch(
  tx: Tx,
  exerciseId: string,
  run: number,
  records: ImportedRecord[],
  entry: ImportEntry,
): Promise<void> {
  const rows = records.map((r) => ({
    id: r.id,
    kind: r.kind,
    owner: r.ownerCountry,
    recipients: r.recipients,
    data: r.data,
    person: r.personId ?? null,
    key: r.scenarioKey ?? null,
    ...r.keys,
  }));
  await tx.$executeRaw`
    WITH r AS (
      INSERT INTO database_records (id, exercise_id, run, kind, owner_country, recipients, data, name_key, birth_date,
                                    document_key, vin, plate_key, template, scenario_key, version, last_seq, created_at,
                                    updated_at)
      SELECT r.id, ${exerciseId}::uuid, ${run}, r.kind, r.owner, r.recipients, r.data, r."nameKey", r."birthDate",
             r."documentKey", r.vin, r."plateKey", r.template, r.key, 1, 1, now(), now()
        FROM json_to_recordset(${JSON.stringify(rows)}::json)
          AS r(id uuid, kind text, owner text, recipients jsonb, data jsonb, person uuid, key text, "nameKey" text,
               "birthDate" text, "documentKey" text, vin text, "plateKey" text, template text)
      RETURNING id, kind, recipients, data
    ), h AS (
      INSERT INTO record_events (record_id, seq, type, actor_role, actor_country, participant_id, at, payload,
                                 recipients, recipients_before, exercise_id)
      SELECT r.id, 1, 'CREATE', ${entry.actor.role}::"Role", ${entry.actor.country ?? null},
             ${entry.participantId}::uuid, ${entry.at},
             jsonb_build_object('kind', r.kind) || r.data
               || jsonb_strip_nulls(jsonb_build_object('recipients', r.recipients)),
             r.recipients, r.recipients, ${exerciseId}::uuid
        FROM r
    ), p AS (
      INSERT INTO person_links (person_id, record_id)
      SELECT r.person, r.id FROM json_to_recordset(${JSON.stringify(rows.filter((r) => r.person))}::json)
        AS r(id uuid, person uuid)
      RETURNING person_id, record_id
    )
    INSERT INTO person_events (person_id, type, record_id, reason, actor_role, actor_country, participant_id, at)
    SELECT p.person_id, 'LINK', p.record_id, 'imported as this person', ${entry.actor.role}::"Role",
           ${entry.actor.country ?? null}, ${entry.participantId}::uuid, ${entry.at}
      FROM p`;
}
