import type { Role } from '../notices/notice-types';
import type { ExerciseClock } from './clock';

export const PARTICIPANT_ROLES = ['ncb', 'gs', 'ccf', 'observer'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** Who is calling, fixed by the bearer token. */
export interface Principal {
  participantId: string;
  exerciseId: string;
  role: Role;
  country?: string;
  clock: ExerciseClock;
}

export interface Exercise {
  id: string;
  name: string;
  clock: ExerciseClock;
  createdAt: Date;
}

export interface Participant {
  id: string;
  exerciseId: string;
  role: Role;
  country: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

export interface ExerciseStore {
  /** Creates the exercise and its facilitator in one transaction. */
  create(name: string, clock: ExerciseClock, facilitatorTokenHash: string): Promise<{ exercise: Exercise; facilitator: Participant }>;
  find(id: string): Promise<Exercise | null>;
  addParticipant(exerciseId: string, role: Role, country: string | null, tokenHash: string): Promise<Participant>;
  /** The live participant holding this token hash, with its exercise's clock. */
  principalByTokenHash(tokenHash: string): Promise<Principal | null>;
  listParticipants(exerciseId: string): Promise<Participant[]>;
  /** Changes the exercise's clock under a row lock, so two facilitator actions apply one after the other. */
  updateClock(exerciseId: string, change: (clock: ExerciseClock) => ExerciseClock): Promise<ExerciseClock | null>;
  /** Marks the participant revoked (its token stops working); false when it is not in this exercise. */
  revokeParticipant(exerciseId: string, participantId: string, at: Date): Promise<Participant | null>;
}
