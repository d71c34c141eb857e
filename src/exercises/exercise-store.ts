import { CHANNELS, notifySql } from '../db/notifications';
import { autocommitWrite, runTransaction, type Tx } from '../db/transaction';
import type { SqlQuery } from '../db/database';
import { Prisma, type PrismaClient } from '../generated/prisma/client';
import type { Exercise as ExerciseRow, Participant as ParticipantRow } from '../generated/prisma/client';
import { StaleVersionError } from '../kernel/errors';
import type { ExerciseClock } from './clock';
import { numberPendingSql } from './exercise-positions';
import { principalOfIdentity, type Exercise, type ExerciseStore, type Participant, type Role } from './exercise-types';
import type { Identity } from './identity-cache';

/** Thrown inside a transaction to roll it back when a participant named is unknown or revoked. */
class NotLive extends Error {}

const titleOf = (scenario: unknown): string | null => {
  const title = (scenario as { title?: unknown } | null)?.title;
  return typeof title === 'string' ? title : null;
};

const toExercise = (row: ExerciseRow): Exercise => ({
  id: row.id,
  name: row.name,
  title: titleOf(row.scenario),
  clock: {
    simEpoch: row.simEpoch,
    wallAnchor: row.wallAnchor,
    speed: row.speed,
    running: row.running,
    freezeWhilePaused: row.freezeWhilePaused,
  },
  run: row.run,
  simStart: row.simStart,
  scenario: row.scenario ?? null,
  createdAt: row.createdAt,
});

const toParticipant = (row: ParticipantRow): Participant => ({
  id: row.id,
  exerciseId: row.exerciseId,
  role: row.role,
  country: row.country,
  key: row.key,
  name: row.name,
  createdAt: row.createdAt,
  revokedAt: row.revokedAt,
});

interface ClockRow {
  sim_epoch: Date;
  wall_anchor: Date;
  speed: number;
  running: boolean;
  freeze_while_paused: boolean;
}

const clockOfRow = (row: ClockRow): ExerciseClock => ({
  simEpoch: new Date(row.sim_epoch),
  wallAnchor: new Date(row.wall_anchor),
  speed: Number(row.speed),
  running: row.running,
  freezeWhilePaused: row.freeze_while_paused,
});

interface IdentityRow extends ClockRow {
  id: string;
  exercise_id: string;
  role: Role;
  country: string | null;
  name: string | null;
  key: string | null;
}

/** Tells every process (their identity caches) that this participant's token stopped working, on commit. */
const announceRevoked = (tx: Tx, participantId: string) =>
  tx.$executeRaw(notifySql(CHANNELS.participantRevoked, participantId));

/**
 * The exercise repository on Prisma. `query`, the database's own executor, serves the one read every
 * authenticated request makes (the clock, on an identity cache hit), where Prisma's cost per query showed
 * in the profile (bench/README.md); without it Prisma serves that read too.
 */
export function createExerciseStore(prisma: PrismaClient, query?: SqlQuery): ExerciseStore {
  async function identityByTokenHash(tokenHash: string): Promise<{ identity: Identity; clock: ExerciseClock } | null> {
    // One round trip: the identity and the clock the request needs anyway (Prisma's `include` would be two).
    const rows = await prisma.$queryRaw<IdentityRow[]>`
      SELECT p.id, p.exercise_id, p.role::text AS role, p.country, p.name, p.key,
             e.sim_epoch, e.wall_anchor, e.speed, e.running, e.freeze_while_paused
        FROM participants p JOIN exercises e ON e.id = p.exercise_id
       WHERE p.token_hash = ${tokenHash} AND p.revoked_at IS NULL`;
    const row = rows[0];
    if (!row) return null;
    return {
      identity: {
        participantId: row.id,
        exerciseId: row.exercise_id,
        role: row.role,
        country: row.country,
        name: row.name,
        key: row.key,
      },
      clock: clockOfRow(row),
    };
  }

  return {
    async create(input, within) {
      return runTransaction(prisma, async (tx) => {
        const exercise = await tx.exercise.create({
          data: {
            name: input.name,
            ...input.clock,
            simStart: input.simStart ?? input.clock.simEpoch,
            ...(input.scenario !== undefined && { scenario: input.scenario as Prisma.InputJsonObject }),
          },
        });
        // One creation time each, a millisecond apart, so that lists keep the scenario's order (by
        // creation time): now() is the same for every row of a transaction.
        const at = exercise.createdAt.getTime();
        await tx.participant.create({
          data: {
            exerciseId: exercise.id,
            role: 'facilitator',
            tokenHash: input.facilitatorTokenHash,
            createdAt: new Date(at),
          },
        });
        const rows = await tx.participant.createManyAndReturn({
          data: input.participants.map((p, i) => ({ exerciseId: exercise.id, ...p, createdAt: new Date(at + 1 + i) })),
        });
        // createManyAndReturn does not promise the input's order.
        const byHash = new Map(rows.map((r) => [r.tokenHash, r]));
        const created = {
          exercise: toExercise(exercise),
          participants: input.participants.map((p) => toParticipant(byHash.get(p.tokenHash)!)),
        };
        await within?.(tx, created);
        return created;
      });
    },

    async find(id) {
      const row = await prisma.exercise.findUnique({ where: { id } });
      return row && toExercise(row);
    },

    async addParticipant(exerciseId, participant, within) {
      if (!within) {
        const row = await autocommitWrite(() => prisma.participant.create({ data: { exerciseId, ...participant } }));
        return toParticipant(row);
      }
      return runTransaction(prisma, async (tx) => {
        const created = toParticipant(await tx.participant.create({ data: { exerciseId, ...participant } }));
        await within(tx, created);
        return created;
      });
    },

    async updateClock(exerciseId, change) {
      return runTransaction(prisma, async (tx) => {
        const rows = await tx.$queryRaw<ClockRow[]>`
          SELECT sim_epoch, wall_anchor, speed, running, freeze_while_paused
            FROM exercises WHERE id = ${exerciseId}::uuid FOR UPDATE`;
        const row = rows[0];
        if (!row) return null;
        const next = change(clockOfRow(row));
        await tx.exercise.update({ where: { id: exerciseId }, data: next });
        return next;
      });
    },

    async reset(exerciseId, input) {
      return runTransaction(prisma, async (tx) => {
        const seen = await tx.exercise.findUnique({ where: { id: exerciseId }, select: { run: true } });
        if (!seen) return null;
        for (const scope of input.scopes) await scope.lock?.(tx, exerciseId, seen.run);
        // FOR UPDATE, not the FOR NO KEY UPDATE a plain UPDATE takes: it waits for every writer holding
        // the row FOR KEY SHARE (exercise-positions.ts), so none of the ending run commits after it.
        await tx.$queryRaw`SELECT id FROM exercises WHERE id = ${exerciseId}::uuid FOR UPDATE`;
        // The rows committed before it are numbered first (a statement of its own, seeing them all): the
        // reset comes after them in the stream.
        await tx.$queryRaw(numberPendingSql(exerciseId));
        const row = await tx.exercise.findUniqueOrThrow({ where: { id: exerciseId } });
        if (row.run !== seen.run) throw new StaleVersionError('Another reset of the exercise came first');
        const clock = input.clockFor(toExercise(row));
        // freezeWhilePaused is the exercise's setting, not the clock's state: a reset keeps it as it is.
        const { freezeWhilePaused: _kept, ...clockState } = clock;
        const to = row.run + 1;
        // The reset takes the exercise's next position itself, under the lock the sequencer would take.
        const updated = await tx.exercise.update({
          where: { id: exerciseId },
          data: { run: to, ...clockState, lastEventSeq: { increment: 1 } },
          select: { lastEventSeq: true },
        });
        await tx.exerciseReset.create({
          data: {
            exerciseId,
            run: to,
            exerciseSeq: updated.lastEventSeq,
            participantId: input.participantId,
            ...clockState,
          },
        });
        for (const scope of input.scopes) await scope.reset(tx, { exerciseId, from: row.run, to, clock });
        await tx.$executeRaw(notifySql(CHANNELS.exerciseEvents, exerciseId));
        return { run: to, clock, position: Number(updated.lastEventSeq) };
      });
    },

    async listParticipants(exerciseId) {
      const rows = await prisma.participant.findMany({
        where: { exerciseId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map(toParticipant);
    },

    async findParticipant(exerciseId, participantId) {
      const row = await prisma.participant.findFirst({ where: { id: participantId, exerciseId } });
      return row && toParticipant(row);
    },

    async replaceTokens(exerciseId, tokens) {
      try {
        return await runTransaction(prisma, async (tx) => {
          const updated: Participant[] = [];
          for (const { participantId, tokenHash } of tokens) {
            const rows = await tx.participant.updateManyAndReturn({
              where: { id: participantId, exerciseId, revokedAt: null },
              data: { tokenHash },
            });
            if (rows.length !== 1) throw new NotLive();
            // The old token stops working: caches holding it are told so when this commits.
            await announceRevoked(tx, participantId);
            updated.push(toParticipant(rows[0]!));
          }
          return updated;
        });
      } catch (error) {
        if (error instanceof NotLive) return null;
        throw error;
      }
    },

    async listExercises() {
      const rows = await prisma.exercise.findMany({
        orderBy: [{ createdAt: 'desc' }, { id: 'asc' }],
        include: { _count: { select: { participants: true, notices: true } } },
      });
      return rows.map((row) => {
        const { scenario: _scenario, ...exercise } = toExercise(row);
        return { ...exercise, participants: row._count.participants, notices: row._count.notices };
      });
    },

    async revokeParticipant(exerciseId, participantId, at) {
      return runTransaction(prisma, async (tx) => {
        // The first revocation's time stands; revoking again changes nothing.
        await tx.participant.updateMany({
          where: { id: participantId, exerciseId, revokedAt: null },
          data: { revokedAt: at },
        });
        const row = await tx.participant.findFirst({ where: { id: participantId, exerciseId } });
        // Sent again on a second revocation too: the revoking request waits for its echo either way.
        if (row) await announceRevoked(tx, participantId);
        return row && toParticipant(row);
      });
    },

    async clocks(ids) {
      if (ids.length === 0) return new Map();
      const rows = await prisma.$queryRaw<(ClockRow & { id: string })[]>`
        SELECT id, sim_epoch, wall_anchor, speed, running, freeze_while_paused
          FROM exercises WHERE id = ANY(${[...ids]}::uuid[])`;
      return new Map(rows.map((row) => [row.id, clockOfRow(row)]));
    },

    async principalByTokenHash(tokenHash) {
      const found = await identityByTokenHash(tokenHash);
      return found && principalOfIdentity(found.identity, found.clock);
    },

    callerByTokenHash: identityByTokenHash,

    async clock(exerciseId) {
      const read = Prisma.sql`SELECT sim_epoch, wall_anchor, speed, running, freeze_while_paused
          FROM exercises WHERE id = ${exerciseId}::uuid`;
      const rows = query ? await query<ClockRow>(read.text, read.values) : await prisma.$queryRaw<ClockRow[]>(read);
      return rows[0] ? clockOfRow(rows[0]) : null;
    },

    identityByTokenHash,
  };
}
