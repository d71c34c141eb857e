import type { Tx } from '../db/transaction';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors';
import { applyClockAction, type ClockAction, type ExerciseClock } from './clock';
import type {
  Exercise,
  ExerciseStore,
  NewParticipant,
  Participant,
  ParticipantRole,
  Principal,
} from './exercise-types';
import { hashToken, newToken } from './tokens';

/** A participant as created: its token is shown this once. */
export type ParticipantWithToken = Participant & { token: string };

export interface ParticipantSpec {
  role: ParticipantRole;
  country: string | null;
  key?: string | null;
  name?: string | null;
}

export interface ExerciseService {
  /** An exercise with only its facilitator, its clock running at real speed; `freezeWhilePaused` defaults to true. */
  create(
    name: string,
    options?: { freezeWhilePaused?: boolean | undefined },
  ): Promise<{ id: string; name: string; facilitatorToken: string }>;
  /**
   * Creates an exercise with its participants, each with a new token, on `clock`; `within` runs in the
   * same transaction (a scenario schedules its injects there).
   */
  createWith(
    input: { name: string; clock: ExerciseClock; scenario?: unknown; participants: ParticipantSpec[] },
    within?: (tx: Tx, created: { exercise: Exercise; participants: Participant[] }) => Promise<void>,
  ): Promise<{ exercise: Exercise; facilitatorToken: string; participants: ParticipantWithToken[] }>;
  find(exerciseId: string): Promise<Exercise>;
  addParticipant(
    principal: Principal,
    exerciseId: string,
    input: { role: ParticipantRole; country?: string | undefined },
  ): Promise<ParticipantWithToken>;
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

  const withToken = (spec: ParticipantSpec): NewParticipant & { token: string } => {
    const token = newToken();
    return {
      role: spec.role,
      country: spec.country,
      key: spec.key ?? null,
      name: spec.name ?? null,
      tokenHash: hashToken(token),
      token,
    };
  };

  return {
    async create(name, options = {}) {
      const token = newToken();
      const wall = now();
      // The simulated clock starts at wall time and runs at real speed until the exercise says otherwise.
      const clock = {
        simEpoch: wall,
        wallAnchor: wall,
        speed: 1,
        running: true,
        freezeWhilePaused: options.freezeWhilePaused ?? true,
      };
      const { exercise } = await store.create({
        name,
        clock,
        facilitatorTokenHash: hashToken(token),
        participants: [],
      });
      return { id: exercise.id, name: exercise.name, facilitatorToken: token };
    },

    async createWith(input, within) {
      const facilitatorToken = newToken();
      const participants = input.participants.map(withToken);
      const created = await store.create(
        {
          name: input.name,
          clock: input.clock,
          scenario: input.scenario,
          facilitatorTokenHash: hashToken(facilitatorToken),
          participants: participants.map(({ token: _token, ...p }) => p),
        },
        within,
      );
      return {
        exercise: created.exercise,
        facilitatorToken,
        participants: created.participants.map((p, i) => ({ ...p, token: participants[i]!.token })),
      };
    },

    find,

    async addParticipant(principal, exerciseId, input) {
      facilitatorOf(principal, exerciseId, 'adds participants');
      // The schema already checks that a given country is a member; what it cannot say is who needs one.
      if (input.role === 'ncb' && !input.country) throw ValidationError.of('body.country', 'required for an ncb');
      if (input.role !== 'ncb' && input.country) throw ValidationError.of('body.country', 'only an ncb has a country');
      const { token, ...participant } = withToken({ role: input.role, country: input.country ?? null });
      return { ...(await store.addParticipant(exerciseId, participant)), token };
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
        throw new ForbiddenError(
          'The facilitator’s own token cannot be revoked: nobody could manage the exercise after it',
        );
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
