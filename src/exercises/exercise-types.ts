import type { Tx } from '../db/transaction';
import type { ExerciseClock } from './clock';
import type { RunScope } from './runs';

export const ROLES = ['ncb', 'gs', 'ccf', 'facilitator', 'observer', 'system'] as const;
export type Role = (typeof ROLES)[number];

/** Roles a participant may be given; the facilitator comes with the exercise, `system` is the simulator. */
export const PARTICIPANT_ROLES = ['ncb', 'gs', 'ccf', 'observer'] as const;
export type ParticipantRole = (typeof PARTICIPANT_ROLES)[number];

/** Who sends an event. `country` is set for an `ncb` only. */
export interface Actor {
  role: Role;
  country?: string;
}

/** Who is calling, fixed by the bearer token, with the exercise's clock as read with it. */
export interface Principal {
  participantId: string;
  exerciseId: string;
  role: Role;
  country?: string;
  clock: ExerciseClock;
}

/**
 * A caller known by its token, before its exercise's clock is judged: the route that reads the clock
 * with its own first statement (a country's record event reads it with the notice) saves the read
 * that authentication would make. `clock` is the one read with the token when the identity was not
 * cached, null when it was.
 */
export interface Caller {
  identity: Identity;
  clock: ExerciseClock | null;
}

/**
 * The caller admitted on a clock. `moved`: the script's injects that were due ran first, so what the
 * route read before the admission may have changed since.
 */
export interface Admitted {
  principal: Principal;
  moved: boolean;
}

/** A caller's admission, on a clock read with the request's first statement if it was of the caller's exercise. */
export type Admission = (read: { exerciseId: string; clock: ExerciseClock } | null) => Promise<Admitted>;

/** The admission of a caller already admitted (a script's principal). */
export const admitted =
  (principal: Principal): Admission =>
  async () => ({ principal, moved: false });

export const principalOfIdentity = (identity: Identity, clock: ExerciseClock): Principal => ({
  participantId: identity.participantId,
  exerciseId: identity.exerciseId,
  role: identity.role,
  ...(identity.country && { country: identity.country }),
  clock,
});

/** Who acted, from a principal or from a row's role and country (null or absent: none). */
export const actorOf = (p: { role: Role; country?: string | null | undefined }): Actor =>
  p.country ? { role: p.role, country: p.country } : { role: p.role };

export interface Exercise {
  id: string;
  name: string;
  /** The title of the scenario it was created from, if any. */
  title: string | null;
  clock: ExerciseClock;
  /** The current run, from 1 (src/exercises/runs.ts). */
  run: number;
  /** Simulated time it started at: where a reset takes the clock back to. */
  simStart: Date;
  /** The scenario it was created from, as stored (the scenarios module reads it). */
  scenario: unknown;
  createdAt: Date;
}

/** A reset as it committed: the run it started, on which clock, at which position of the exercise's history. */
export interface ExerciseResetDone {
  run: number;
  clock: ExerciseClock;
  position: number;
}

export interface Participant {
  id: string;
  exerciseId: string;
  role: Role;
  country: string | null;
  /** The scenario's key for this participant, when it comes from a scenario. */
  key: string | null;
  /** A display name ("Instructor Dupont", "Monaco NCB"). */
  name: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

/** A participant as created: its token is shown this once. */
export type ParticipantWithToken = Participant & { token: string };

/** An exercise as created by itself, with its facilitator's token. */
export interface CreatedExercise {
  id: string;
  name: string;
  facilitatorToken: string;
}

/** An exercise as created, with the tokens shown this once. */
export interface ExerciseWithTokens {
  exercise: Exercise;
  facilitatorToken: string;
  participants: ParticipantWithToken[];
}

/** A hook run in a creating transaction with what the call is about to return (an Idempotency-Key's record). */
export type Recording<T> = (tx: Tx, created: T) => Promise<void>;

/** An exercise as the server's list shows it (admin). */
export interface ExerciseSummary {
  id: string;
  name: string;
  title: string | null;
  clock: ExerciseClock;
  createdAt: Date;
  participants: number;
  notices: number;
}

export interface NewParticipant {
  role: ParticipantRole;
  country: string | null;
  key: string | null;
  name: string | null;
  tokenHash: string;
}

/** What creating an exercise writes, in one transaction. */
export interface NewExercise {
  name: string;
  clock: ExerciseClock;
  /** Where a reset takes the clock back to; the clock's own time by default. */
  simStart?: Date;
  /** The scenario it comes from, stored as given. */
  scenario?: unknown;
  facilitatorTokenHash: string;
  participants: NewParticipant[];
}

export interface ExerciseStore {
  /**
   * Creates the exercise, its facilitator and its participants in one transaction; `within` runs in
   * that transaction once they exist (a scenario schedules its injects there).
   */
  create(
    input: NewExercise,
    within?: (tx: Tx, created: { exercise: Exercise; participants: Participant[] }) => Promise<void>,
  ): Promise<{ exercise: Exercise; participants: Participant[] }>;
  find(id: string): Promise<Exercise | null>;
  /** Adds a participant; with `within`, in a transaction where `within` runs once the participant exists. */
  addParticipant(
    exerciseId: string,
    participant: NewParticipant,
    within?: (tx: Tx, created: Participant) => Promise<void>,
  ): Promise<Participant>;
  /** The live participant holding this token hash, with its exercise's clock. */
  principalByTokenHash(tokenHash: string): Promise<Principal | null>;
  /** The same, as who the token names (what the identity cache keeps) and the clock apart. */
  identityByTokenHash(tokenHash: string): Promise<{ identity: Identity; clock: ExerciseClock } | null>;
  /** Who the token names; the clock only if it was read on the way (no cache, or a cache miss). */
  callerByTokenHash(tokenHash: string): Promise<Caller | null>;
  /** The exercise's clock alone (a read by primary key), null when there is no such exercise. */
  clock(exerciseId: string): Promise<ExerciseClock | null>;
  listParticipants(exerciseId: string): Promise<Participant[]>;
  /** Changes the exercise's clock under a row lock, so two facilitator actions apply one after the other. */
  updateClock(exerciseId: string, change: (clock: ExerciseClock) => ExerciseClock): Promise<ExerciseClock | null>;
  /**
   * Starts the exercise's next run in one transaction: each scope's `lock`, then under the exercise
   * row's lock the run number, the clock (`clockFor` the exercise as it stands), the reset's position
   * and row, then each scope's `reset`. Null when there is no such exercise.
   */
  reset(
    exerciseId: string,
    input: { participantId: string; clockFor: (exercise: Exercise) => ExerciseClock; scopes: readonly RunScope[] },
  ): Promise<ExerciseResetDone | null>;
  findParticipant(exerciseId: string, participantId: string): Promise<Participant | null>;
  /**
   * Gives each live participant named a new token hash, in one transaction: their old tokens stop
   * working, their ids and history stay. Null (and nothing changed) when one is unknown or revoked.
   */
  replaceTokens(
    exerciseId: string,
    tokens: { participantId: string; tokenHash: string }[],
  ): Promise<Participant[] | null>;
  /** Every exercise on the server, newest first, with its participants and notices counted. */
  listExercises(): Promise<ExerciseSummary[]>;
  /** The clocks of these exercises (those that exist), by id. */
  clocks(ids: readonly string[]): Promise<Map<string, ExerciseClock>>;
  /**
   * Marks the participant revoked (its token stops working); null when it is not in this exercise. This
   * and `replaceTokens` send `participant_revoked` for each participant in their transaction.
   */
  revokeParticipant(exerciseId: string, participantId: string, at: Date): Promise<Participant | null>;
}

/**
 * Who a token names, as far as it never changes while the token works: a token stops working (it is
 * revoked or re-issued) rather than changing whom it names. The exercise's clock, run and next inject
 * are not here: they change under a working token and are read on each request.
 */
export interface Identity {
  participantId: string;
  exerciseId: string;
  role: Role;
  country: string | null;
  name: string | null;
  key: string | null;
}
