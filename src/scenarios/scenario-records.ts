/**
 * A scenario's records: loaded into its exercise's first run when the exercise is created, and again
 * into each new run by a reset (the records of the ended run stay, read-only, like its notices).
 */
import type { Tx } from '../db/transaction';
import { loadScenarioRecords, type ScenarioRecord } from '../databases/scenario-subjects';
import type { RunScope } from '../exercises/runs';
import { ValidationError } from '../kernel/errors';
import { scenarioOf, type Scenario } from './scenario-schema';

/** A scenario's records: none in one stored before scenarios had them (stored scenarios are not parsed again). */
const recordsIn = (scenario: Scenario): Scenario['records'] => scenario.records ?? [];

interface Holder {
  id: string;
  key: string | null;
  country: string | null;
}

/** The scenario's records with their owners; a file left unread (a scenario not of the catalogue) is a 400. */
export function recordsOf(scenario: Scenario, participants: readonly Holder[]): ScenarioRecord[] {
  const byKey = new Map(participants.map((p) => [p.key, p]));
  const records = recordsIn(scenario);
  const unread = records.findIndex((r) => 'file' in r);
  if (unread >= 0) {
    throw ValidationError.of(
      `scenario.records.${unread}.file`,
      'a file beside the scenario is read only for a scenario of the catalogue: give its records inline',
    );
  }
  return records.flatMap((r) => {
    const owner = byKey.get(r.as);
    if (!('record' in r) || !owner?.country) return [];
    return [{ owner: { participantId: owner.id, country: owner.country }, key: r.key, record: r.record }];
  });
}

/** Loads the scenario's records into run `run` of the exercise, as of the scenario's start. */
export async function loadRecordsOf(
  tx: Tx,
  exerciseId: string,
  run: number,
  scenario: Scenario,
  participants: readonly Holder[],
): Promise<void> {
  if (!recordsIn(scenario).length) return;
  await loadScenarioRecords(tx, exerciseId, run, recordsOf(scenario, participants), new Date(scenario.start));
}

export const scenarioRecordsRunScope: RunScope = {
  async reset(tx, { exerciseId, to }) {
    const [row] = await tx.$queryRaw<{ scenario: unknown }[]>`
      SELECT scenario FROM exercises WHERE id = ${exerciseId}::uuid`;
    const scenario = row && scenarioOf(row);
    if (!scenario || !recordsIn(scenario).length) return;
    const participants = await tx.$queryRaw<Holder[]>`
      SELECT id, key, country FROM participants WHERE exercise_id = ${exerciseId}::uuid`;
    await loadRecordsOf(tx, exerciseId, to, scenario, participants);
  },
};
