import { ForbiddenError, NotFoundError, ValidationError } from '../http/errors';
import { applyClockAction, type ClockAction, type ExerciseClock } from './clock';
import type { ExerciseStore, Participant, ParticipantRole, Principal } from './exercise-types';
import { hashToken, newToken } from './tokens';

export interface ExerciseService {
  create(name: string): Promise<{ id: string; name: string; facilitatorToken: string }>;
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
  async function clockOf(exerciseId: string): Promise<ExerciseClock> {
    const exercise = await store.find(exerciseId);
    if (!exercise) throw new NotFoundError('Exercise');
    return exercise.clock;
  }

  return {
    async create(name) {
      const token = newToken();
      const wall = now();
      // The simulated clock starts at wall time and runs at real speed until the exercise says otherwise.
      const { exercise } = await store.create(name, { simEpoch: wall, wallAnchor: wall, speed: 1, running: true }, hashToken(token));
      return { id: exercise.id, name: exercise.name, facilitatorToken: token };
    },

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

    clockOf,

    async readClock(principal, exerciseId) {
      if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
      return clockOf(exerciseId);
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
