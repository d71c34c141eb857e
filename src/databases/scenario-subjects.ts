/**
 * What a scenario's injects reach by their local keys in the databases: the records a scenario loads
 * (at its start, and again into each new run), a search an inject made and its hits.
 */
import { randomUUID } from 'node:crypto';
import type { Tx } from '../db/transaction';
import type { PrismaClient } from '../generated/prisma/client';
import { insertBatch, type ImportedRecord } from './record-batch';
import { keysOf } from './record-keys';
import type { CreateRecordInput } from './record-schemas';

/** A record a scenario's participant holds: its owner (the participant's country) and its local key. */
export interface ScenarioRecord {
  owner: { participantId: string; country: string };
  key?: string | undefined;
  record: CreateRecordInput;
}

/** Loads the scenario's records into run `run`, each with its CREATE entry by its owner at `at`. */
export async function loadScenarioRecords(
  tx: Tx,
  exerciseId: string,
  run: number,
  records: readonly ScenarioRecord[],
  at: Date,
): Promise<void> {
  const byOwner = new Map<string, ScenarioRecord[]>();
  for (const r of records) byOwner.set(r.owner.participantId, [...(byOwner.get(r.owner.participantId) ?? []), r]);
  for (const owned of byOwner.values()) {
    const { owner } = owned[0]!;
    const rows: ImportedRecord[] = owned.map(({ key, record }) => {
      const { kind, recipients, personId: _, ...data } = record;
      return {
        id: randomUUID(),
        kind,
        ownerCountry: owner.country,
        recipients: recipients ?? null,
        data,
        keys: keysOf(kind, data),
        scenarioKey: key,
      };
    });
    const entry = { actor: { role: 'ncb' as const, country: owner.country }, participantId: owner.participantId, at };
    await insertBatch(tx, exerciseId, run, rows, entry);
  }
}

export interface ScenarioSubjects {
  /** The record the scenario keyed `key`, in run `run`. */
  recordId(exerciseId: string, run: number, key: string): Promise<string | null>;
  /**
   * The best hit of the search the inject keyed `key` made in run `run`: of those on `of.noticeId`, or on
   * what `of.ownerCountry` owns, and not reported yet (`of.unreported`), when given.
   */
  hitOf(
    exerciseId: string,
    run: number,
    key: string,
    of?: { noticeId?: string | undefined; ownerCountry?: string | undefined; unreported?: boolean },
  ): Promise<string | null>;
}

export function createScenarioSubjects(prisma: PrismaClient): ScenarioSubjects {
  return {
    async recordId(exerciseId, run, key) {
      const rows = await prisma.$queryRaw<{ id: string }[]>`
        SELECT id FROM database_records
         WHERE exercise_id = ${exerciseId}::uuid AND run = ${run} AND scenario_key = ${key} AND deleted_at IS NULL`;
      return rows[0]?.id ?? null;
    },

    async hitOf(exerciseId, run, key, of = {}) {
      const noticeId = of.noticeId ?? null;
      const owner = of.ownerCountry ?? null;
      const rows = await prisma.$queryRaw<{ id: string }[]>`
        SELECT h.id FROM hits h JOIN searches s ON s.id = h.search_id
         WHERE s.exercise_id = ${exerciseId}::uuid AND s.run = ${run} AND s.scenario_key = ${key}
           AND (${noticeId}::uuid IS NULL OR h.notice_id = ${noticeId}::uuid)
           AND (${owner}::text IS NULL OR h.owner_country = ${owner}::text)
           AND (${of.unreported === true} = FALSE OR h.reported_at IS NULL)
         ORDER BY h.score DESC, h.serial LIMIT 1`;
      return rows[0]?.id ?? null;
    },
  };
}
