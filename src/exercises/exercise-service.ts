import { ForbiddenError, NotFoundError, ValidationError } from '../http/errors';
import type { Scenario } from '../scenarios/scenario-schema';
import { addIsoDuration, applyClockAction, type ClockAction, type ExerciseClock } from './clock';
import type { Exercise, ExerciseStore, Participant, ParticipantRole, Principal } from './exercise-types';
import { hashToken, newToken } from './tokens';

export interface ScenarioExercise {
  id: string;
  name: string;
  facilitatorToken: string;
  clock: ExerciseClock;
  participants: (Participant & { token: string })[];
  injects: { scheduled: number; skipped: number };
}

export interface ExerciseService {
  create(name: string): Promise<{ id: string; name: string; facilitatorToken: string }>;
  /**
   * Creates an exercise from a validated scenario: its participants with their tokens, the clock
   * paused at the scenario's start (at its speed), and the injects scheduled. The injects of
   * participants listed in `teams` are kept but skipped: those parts are played by people.
   */
  createFromScenario(scenario: Scenario, options?: { name?: string | undefined; teams?: string[] | undefined }): Promise<ScenarioExercise>;
  find(exerciseId: string): Promise<Exercise>;
  addParticipant(
    principal: Principal,
    exerciseId: string,
    input: { role: ParticipantRole; country?: string | undefined },
  ): Promise<Participant & { token: string }>;
  authenticate(token: string): Promise<Principal | null>;
  listParticipants(principal: Principal, exerciseId: string): Promise<Participant[]>;
  /** The exercise's clock, for calls that carry no token; 404 when there is no such exercise. */
  clockOf(exerciseId: string): Promise<ExerciseClock>;
  /** Any participant reads its exercise's clock. */
  readClock(principal: Principal, exerciseId: string): Promise<ExerciseClock>;
  /** The facilitator pauses, resumes, advances or changes the speed of the clock. */
  actOnClock(principal: Principal, exerciseId: string, action: ClockAction): Promise<ExerciseClock>;
  revokeParticipant(principal: Principal, exerciseId: string, participantId: string): Promise<void>;
}

export function createExerciseService(store: ExerciseStore, now: () => Date = () => new Date()): ExerciseService {
  async function find(exerciseId: string): Promise<Exercise> {
    const exercise = await store.find(exerciseId);
    if (!exercise) throw new NotFoundError('Exercise');
    return exercise;
  }

  return {
    async create(name) {
      const token = newToken();
      const wall = now();
      // The simulated clock starts at wall time and runs at real speed until the exercise says otherwise.
      const { exercise } = await store.create(name, { simEpoch: wall, wallAnchor: wall, speed: 1, running: true }, hashToken(token));
      return { id: exercise.id, name: exercise.name, facilitatorToken: token };
    },

    async createFromScenario(scenario, options = {}) {
      const teams = options.teams ?? [];
      const keys = new Set(scenario.participants.map((p) => p.key));
      const unknown = teams.map((t, i) => ({ t, i })).filter(({ t }) => !keys.has(t));
      if (unknown.length) {
        const details = unknown.map(({ t, i }) => ({ field: `body.teams.${i}`, message: `no participant ${t} in the scenario` }));
        throw new ValidationError(details.map((d) => `${d.field}: ${d.message}`).join('; '), details);
      }
      const start = new Date(scenario.start);
      const tokens = new Map(scenario.participants.map((p) => [p.key, newToken()]));
      const facilitatorToken = newToken();
      const clock: ExerciseClock = { simEpoch: start, wallAnchor: now(), speed: scenario.speed, running: false };
      const { exercise, participants } = await store.createFromScenario({
        name: options.name ?? scenario.title,
        scenario,
        clock,
        facilitatorTokenHash: hashToken(facilitatorToken),
        participants: scenario.participants.map((p) => ({
          key: p.key,
          role: p.role,
          country: p.country ?? null,
          name: p.name ?? null,
          tokenHash: hashToken(tokens.get(p.key)!),
        })),
        injects: scenario.injects.map((inject, seq) => ({
          seq,
          at: addIsoDuration(start, inject.at),
          participantKey: inject.as,
          action: inject,
          noticeKey: (inject.create ?? inject.event ?? inject.circulation)!.notice,
          skipped: teams.includes(inject.as),
        })),
      });
      const skipped = scenario.injects.filter((i) => teams.includes(i.as)).length;
      return {
        id: exercise.id,
        name: exercise.name,
        facilitatorToken,
        clock: exercise.clock,
        participants: participants.map((p) => ({ ...p, token: tokens.get(p.key!)! })),
        injects: { scheduled: scenario.injects.length - skipped, skipped },
      };
    },

    find,

    async addParticipant(principal, exerciseId, input) {
      facilitatorOf(principal, exerciseId, 'adds participants');
      // The schema already checks that a given country is a member; what it cannot say is who needs one.
      if (input.role === 'ncb' && !input.country) {
        throw new ValidationError('body.country: required for an ncb', [{ field: 'body.country', message: 'required for an ncb' }]);
      }
      if (input.role !== 'ncb' && input.country) {
        throw new ValidationError('body.country: only an ncb has a country', [{ field: 'body.country', message: 'only an ncb has a country' }]);
      }
      const token = newToken();
      const participant = await store.addParticipant(exerciseId, input.role, input.country ?? null, hashToken(token));
      return { ...participant, token };
    },

    authenticate(token) {
      return store.principalByTokenHash(hashToken(token));
    },

    clockOf: async (exerciseId) => (await find(exerciseId)).clock,

    async readClock(principal, exerciseId) {
      if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
      return (await find(exerciseId)).clock;
    },

    async actOnClock(principal, exerciseId, action) {
      facilitatorOf(principal, exerciseId, 'drives the clock');
      const clock = await store.updateClock(exerciseId, (current) => applyClockAction(current, action, now()));
      if (!clock) throw new NotFoundError('Exercise');
      return clock;
    },

    async listParticipants(principal, exerciseId) {
      facilitatorOf(principal, exerciseId, 'lists participants');
      return store.listParticipants(exerciseId);
    },

    async revokeParticipant(principal, exerciseId, participantId) {
      facilitatorOf(principal, exerciseId, 'revokes participants');
      if (participantId === principal.participantId) {
        throw new ForbiddenError('The facilitator’s own token cannot be revoked: nobody could manage the exercise after it');
      }
      if (!(await store.revokeParticipant(exerciseId, participantId, now()))) throw new NotFoundError('Participant');
    },
  };
}

/** Participants are the facilitator's to manage, and only in its own exercise. */
function facilitatorOf(principal: Principal, exerciseId: string, action: string): void {
  if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
  if (principal.role !== 'facilitator') throw new ForbiddenError(`Only the facilitator ${action}`);
}
