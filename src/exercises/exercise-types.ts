import type { Role } from '../notices/notice-types';
import type { ExerciseClock } from './clock';
import type { Scenario, ScenarioInject } from '../scenarios/scenario-schema';

export const PARTICIPANT_ROLES = ['ncb', 'gs', 'ccf', 'observer'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** Who is calling, fixed by the bearer token. */
export interface Principal {
  participantId: string;
  exerciseId: string;
  role: Role;
  country?: string;
  clock: ExerciseClock;
  /**
   * Set when a scenario's inject acts as this participant: the action happens at the inject's
   * simulated time, and marks the inject done in the same transaction (so it fires exactly once).
   */
  inject?: { id: string; at: Date };
  /** When the exercise's next pending inject falls due, as read with the token. */
  nextInjectAt?: Date;
}

export interface Exercise {
  id: string;
  name: string;
  clock: ExerciseClock;
  /** The scenario it was created from, if any. */
  scenario: Scenario | null;
  createdAt: Date;
}

export interface Participant {
  id: string;
  exerciseId: string;
  role: Role;
  country: string | null;
  /** The scenario's key and name for this participant, when it comes from a scenario. */
  key: string | null;
  name: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** What creating an exercise from a scenario writes, in one transaction. */
export interface ScenarioExerciseInput {
  name: string;
  scenario: Scenario;
  clock: ExerciseClock;
  facilitatorTokenHash: string;
  participants: { key: string; role: ParticipantRole; country: string | null; name: string | null; tokenHash: string }[];
  injects: { seq: number; at: Date; participantKey: string; action: ScenarioInject; noticeKey: string; skipped: boolean }[];
}

export interface ExerciseStore {
  /** Creates the exercise, its facilitator, the scenario's participants and its injects, in one transaction. */
  createFromScenario(input: ScenarioExerciseInput): Promise<{ exercise: Exercise; participants: Participant[] }>;
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
