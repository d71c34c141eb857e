import type { Tx } from '../db/transaction';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors';
import { applyClockAction, type ClockAction, type ExerciseClock } from './clock';
import type {
  Caller,
  CreatedExercise,
  Exercise,
  ExerciseWithTokens,
  ExerciseStore,
  ExerciseSummary,
  NewParticipant,
  Participant,
  ParticipantRole,
  ParticipantWithToken,
  Principal,
  Recording,
} from './exercise-types';
import { runOutOfRange, type RunScope } from './runs';
import { hashToken, newToken } from './tokens';

export type { ParticipantWithToken } from './exercise-types';

export interface ParticipantSpec {
  role: ParticipantRole;
  country: string | null;
  key?: string | null;
  name?: string | null;
}

export interface ExerciseService {
  /** An exercise with only its facilitator, its clock at real speed; `freezeWhilePaused` defaults to true. */
  create(
    name: string,
    options?: { freezeWhilePaused?: boolean | undefined; record?: Recording<CreatedExercise> | undefined },
  ): Promise<CreatedExercise>;
  /**
   * Creates an exercise with its participants, each with a new token, on `clock` (a reset goes back to
   * `simStart`, by default the clock's time); `within` runs in the same transaction (a scenario's injects).
   */
  createWith(
    input: { name: string; clock: ExerciseClock; simStart?: Date; scenario?: unknown; participants: ParticipantSpec[] },
    within?: (tx: Tx, created: ExerciseWithTokens) => Promise<void>,
  ): Promise<ExerciseWithTokens>;
  find(exerciseId: string): Promise<Exercise>;
  addParticipant(
    principal: Principal,
    exerciseId: string,
    input: { role: ParticipantRole; country?: string | undefined; name?: string | undefined },
    record?: Recording<ParticipantWithToken>,
  ): Promise<ParticipantWithToken>;
  /** The caller's own participant row, with its exercise. */
  me(principal: Principal): Promise<{ exercise: Exercise; participant: Participant }>;
  /** A new token for a live participant (facilitator only); its old one is refused from then on. */
  reissueToken(principal: Principal, exerciseId: string, participantId: string): Promise<ParticipantWithToken>;
  /**
   * New tokens, in one transaction, for the participants named (by default every live one but the
   * facilitator), for a token sheet: their old tokens are refused from then on.
   */
  issueTokens(
    principal: Principal,
    exerciseId: string,
    participantIds?: string[],
  ): Promise<{ exercise: Exercise; participants: ParticipantWithToken[] }>;
  /** Every exercise on the server, newest first (the admin's list). */
  listExercises(): Promise<ExerciseSummary[]>;
  authenticate(token: string): Promise<Principal | null>;
  /** Who the token names, with the clock only if it was read on the way (see `Caller`); null for an unknown token. */
  identify(token: string): Promise<Caller | null>;
  listParticipants(principal: Principal, exerciseId: string): Promise<Participant[]>;
  /** The exercise's clock, for calls that carry no token; 404 when there is no such exercise. */
  clockOf(exerciseId: string): Promise<ExerciseClock>;
  /** The clocks of these exercises (the ticker's), by id; an unknown id is left out. */
  clocksOf(ids: readonly string[]): Promise<Map<string, ExerciseClock>>;
  /** Any participant reads its exercise's clock. */
  readClock(principal: Principal, exerciseId: string): Promise<ExerciseClock>;
  /** The facilitator pauses, resumes, advances or changes the speed of the clock. */
  actOnClock(principal: Principal, exerciseId: string, action: ClockAction): Promise<ExerciseClock>;
  revokeParticipant(principal: Principal, exerciseId: string, participantId: string): Promise<void>;
  /**
   * The facilitator starts the exercise's next run (src/exercises/runs.ts): the clock back at the start,
   * paused; the earlier run's rows stay, read-only; participants and tokens stay.
   */
  reset(principal: Principal, exerciseId: string): Promise<{ run: number; clock: ExerciseClock }>;
  /** The run a read names (`?run=N`, from 1 to the current one; 400 otherwise), or the current one. */
  runOf(exerciseId: string, requested?: number): Promise<number>;
}

export interface ExerciseServiceOptions {
  /** The run-scoped subjects' parts in a reset (src/exercises/runs.ts). */
  runScopes?: readonly RunScope[];
  /** Heard once a reset has committed (the live streams wake on it). */
  onReset?: (exerciseId: string) => void;
}

/** Speed of a scenario's clock as the scenario gives it; 1 without one. */
const startSpeedOf = (scenario: unknown): number => {
  const speed = (scenario as { speed?: unknown } | null)?.speed;
  return typeof speed === 'number' && speed > 0 ? speed : 1;
};

export function createExerciseService(
  store: ExerciseStore,
  now: () => Date = () => new Date(),
  options: ExerciseServiceOptions = {},
): ExerciseService {
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
      const answer = (exercise: Exercise) => ({ id: exercise.id, name: exercise.name, facilitatorToken: token });
      const record = options.record;
      const { exercise } = await store.create(
        { name, clock, facilitatorTokenHash: hashToken(token), participants: [] },
        record && ((tx, created) => record(tx, answer(created.exercise))),
      );
      return answer(exercise);
    },

    async createWith(input, within) {
      const facilitatorToken = newToken();
      const participants = input.participants.map(withToken);
      const withTokens = (created: { exercise: Exercise; participants: Participant[] }): ExerciseWithTokens => ({
        exercise: created.exercise,
        facilitatorToken,
        participants: created.participants.map((p, i) => ({ ...p, token: participants[i]!.token })),
      });
      const created = await store.create(
        {
          ...input,
          facilitatorTokenHash: hashToken(facilitatorToken),
          participants: participants.map(({ token: _token, ...p }) => p),
        },
        within && ((tx, created) => within(tx, withTokens(created))),
      );
      return withTokens(created);
    },

    find,

    async addParticipant(principal, exerciseId, input, record) {
      facilitatorOf(principal, exerciseId, 'adds participants');
      // The schema already checks that a given country is a member; what it cannot say is who needs one.
      if (input.role === 'ncb' && !input.country) throw ValidationError.of('body.country', 'required for an ncb');
      if (input.role !== 'ncb' && input.country) throw ValidationError.of('body.country', 'only an ncb has a country');
      const { token, ...participant } = withToken({
        role: input.role,
        country: input.country ?? null,
        name: input.name ?? null,
      });
      const created = await store.addParticipant(
        exerciseId,
        participant,
        record && ((tx, p) => record(tx, { ...p, token })),
      );
      return { ...created, token };
    },

    async me(principal) {
      const [exercise, participant] = await Promise.all([
        find(principal.exerciseId),
        store.findParticipant(principal.exerciseId, principal.participantId),
      ]);
      if (!participant) throw new NotFoundError('Participant');
      return { exercise, participant };
    },

    async reissueToken(principal, exerciseId, participantId) {
      facilitatorOf(principal, exerciseId, 're-issues tokens');
      const token = newToken();
      const [participant] =
        (await store.replaceTokens(exerciseId, [{ participantId, tokenHash: hashToken(token) }])) ?? [];
      if (!participant) throw new NotFoundError('Participant');
      return { ...participant, token };
    },

    async issueTokens(principal, exerciseId, participantIds) {
      facilitatorOf(principal, exerciseId, 'prints token sheets');
      const exercise = await find(exerciseId);
      const all = await store.listParticipants(exerciseId);
      const chosen = participantIds ? chosenParticipants(all, participantIds) : all.filter(isTeamOrObserver);
      const tokens = chosen.map((p) => ({ participantId: p.id, token: newToken() }));
      const updated = await store.replaceTokens(
        exerciseId,
        tokens.map((t) => ({ participantId: t.participantId, tokenHash: hashToken(t.token) })),
      );
      // Revoked between the read and the write: nothing was changed.
      if (!updated) throw new NotFoundError('Participant');
      return { exercise, participants: updated.map((p, i) => ({ ...p, token: tokens[i]!.token })) };
    },

    listExercises: () => store.listExercises(),
    authenticate: (token) => store.principalByTokenHash(hashToken(token)),
    identify: (token) => store.callerByTokenHash(hashToken(token)),
    clockOf: async (exerciseId) => (await find(exerciseId)).clock,
    clocksOf: (ids) => store.clocks(ids),

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

    async reset(principal, exerciseId) {
      facilitatorOf(principal, exerciseId, 'resets the exercise');
      const done = await store.reset(exerciseId, {
        participantId: principal.participantId,
        // Back at the start, paused, as a scenario exercise starts: the facilitator resumes when the class is ready.
        clockFor: (exercise) => ({
          simEpoch: exercise.simStart,
          wallAnchor: now(),
          speed: startSpeedOf(exercise.scenario),
          running: false,
          freezeWhilePaused: exercise.clock.freezeWhilePaused,
        }),
        scopes: options.runScopes ?? [],
      });
      if (!done) throw new NotFoundError('Exercise');
      options.onReset?.(exerciseId);
      return { run: done.run, clock: done.clock };
    },

    async runOf(exerciseId, requested) {
      const { run } = await find(exerciseId);
      if (requested !== undefined && requested > run) throw ValidationError.of('query.run', runOutOfRange(run));
      return requested ?? run;
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

const isTeamOrObserver = (p: Participant) => p.role !== 'facilitator' && p.revokedAt === null;

/** The live participants named, in the order given (each once); a 400 naming each id that is not one. */
function chosenParticipants(all: Participant[], ids: string[]): Participant[] {
  const byId = new Map(all.map((p) => [p.id, p]));
  const problems = ids.flatMap((id, i) => {
    const p = byId.get(id);
    if (p && p.revokedAt === null) return [];
    const message = p ? 'is a revoked participant' : 'is not a participant of this exercise';
    return [{ field: `body.participants.${i}`, message }];
  });
  if (problems.length) {
    throw new ValidationError(problems.map((d) => `${d.field}: ${d.message}`).join('; '), problems);
  }
  return [...new Set(ids)].map((id) => byId.get(id)!);
}

/** Participants are the facilitator's to manage, and only in its own exercise. */
function facilitatorOf(principal: Principal, exerciseId: string, action: string): void {
  if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
  if (principal.role !== 'facilitator') throw new ForbiddenError(`Only the facilitator ${action}`);
}
