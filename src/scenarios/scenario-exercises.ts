import type { Tx } from '../db/transaction';
import { addIsoDuration, type ExerciseClock } from '../exercises/clock';
import type { ExerciseService, ParticipantWithToken } from '../exercises/exercise-service';
import type { Exercise } from '../exercises/exercise-types';
import { ValidationError } from '../kernel/errors';
import type { InjectStore } from './inject-store';
import { loadRecordsOf, recordsOf } from './scenario-records';
import type { Scenario } from './scenario-schema';

export interface ScenarioExercise {
  exercise: Exercise;
  facilitatorToken: string;
  clock: ExerciseClock;
  participants: ParticipantWithToken[];
  injects: { scheduled: number; skipped: number };
}

/**
 * Creates an exercise from a validated scenario: its participants with their tokens, the clock
 * paused at the scenario's start (at its speed; teams wait for the facilitator to resume it, unless
 * `freezeWhilePaused` is false), and the injects scheduled, in one transaction. The
 * injects of participants listed in `teams` are kept but skipped: those parts are played by people.
 * `record` runs last in that transaction, with what is returned (an Idempotency-Key's record).
 */
/** The local key of what an inject makes or acts on: its notice, or its search, person or message. */
const subjectKeyOf = (inject: Scenario['injects'][number]): string =>
  inject.search?.key ??
  inject.person?.key ??
  inject.message?.key ??
  (inject.create ?? inject.event ?? inject.circulation)!.notice;

export async function createScenarioExercise(
  deps: { exercises: ExerciseService; injects: InjectStore; wallNow?: () => Date },
  scenario: Scenario,
  options: {
    name?: string | undefined;
    teams?: string[] | undefined;
    freezeWhilePaused?: boolean | undefined;
    record?: ((tx: Tx, created: ScenarioExercise) => Promise<void>) | undefined;
  } = {},
): Promise<ScenarioExercise> {
  const teams = options.teams ?? [];
  const keys = new Set(scenario.participants.map((p) => p.key));
  const unknown = teams.map((t, i) => ({ t, i })).filter(({ t }) => !keys.has(t));
  if (unknown.length) {
    const details = unknown.map(({ t, i }) => ({
      field: `body.teams.${i}`,
      message: `no participant "${t}" in the scenario`,
    }));
    throw new ValidationError(details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
  }
  // A file of records left unread is refused before anything is written.
  recordsOf(scenario, []);
  const skipped = scenario.injects.filter((i) => teams.includes(i.as)).length;
  const injects = { scheduled: scenario.injects.length - skipped, skipped };
  const start = new Date(scenario.start);
  const clock: ExerciseClock = {
    simEpoch: start,
    wallAnchor: (deps.wallNow ?? (() => new Date()))(),
    speed: scenario.speed,
    running: false,
    freezeWhilePaused: options.freezeWhilePaused ?? true,
  };
  const created = await deps.exercises.createWith(
    {
      name: options.name ?? scenario.title,
      clock,
      scenario,
      participants: scenario.participants.map((p) => ({
        role: p.role,
        country: p.country ?? null,
        key: p.key,
        name: p.name ?? null,
      })),
    },
    async (tx, created) => {
      const { exercise, participants } = created;
      const idOf = new Map(participants.map((p) => [p.key, p.id]));
      await deps.injects.schedule(
        tx,
        exercise.id,
        scenario.injects.map((inject, seq) => ({
          seq,
          at: addIsoDuration(start, inject.at),
          participantId: idOf.get(inject.as)!,
          action: inject,
          noticeKey: subjectKeyOf(inject),
          skipped: teams.includes(inject.as),
        })),
      );
      await loadRecordsOf(tx, exercise.id, exercise.run, scenario, participants);
      await options.record?.(tx, { ...created, clock, injects });
    },
  );
  return { ...created, clock, injects };
}
