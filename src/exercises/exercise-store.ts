import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { Exercise as ExerciseRow, Participant as ParticipantRow } from '../generated/prisma/client';
import type { ExerciseClock } from './clock';
import type { Exercise, ExerciseStore, Participant, Role } from './exercise-types';

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

interface PrincipalRow extends ClockRow {
  id: string;
  exercise_id: string;
  role: Role;
  country: string | null;
}

export function createExerciseStore(prisma: PrismaClient): ExerciseStore {
  return {
    async create(input, within) {
      return prisma.$transaction(async (tx) => {
        const exercise = await tx.exercise.create({
          data: {
            name: input.name,
            ...input.clock,
            ...(input.scenario !== undefined && { scenario: input.scenario as Prisma.InputJsonObject }),
          },
        });
        await tx.participant.create({
          data: { exerciseId: exercise.id, role: 'facilitator', tokenHash: input.facilitatorTokenHash },
        });
        const rows = await tx.participant.createManyAndReturn({
          data: input.participants.map((p) => ({ exerciseId: exercise.id, ...p })),
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

    async addParticipant(exerciseId, participant) {
      return toParticipant(await prisma.participant.create({ data: { exerciseId, ...participant } }));
    },

    async updateClock(exerciseId, change) {
      return prisma.$transaction(async (tx) => {
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

    async listParticipants(exerciseId) {
      const rows = await prisma.participant.findMany({
        where: { exerciseId },
        orderBy: [{ createdAt: 'asc' }, { id: 'asc' }],
      });
      return rows.map(toParticipant);
    },

    async revokeParticipant(exerciseId, participantId, at) {
      // The first revocation's time stands; revoking again changes nothing.
      await prisma.participant.updateMany({
        where: { id: participantId, exerciseId, revokedAt: null },
        data: { revokedAt: at },
      });
      const row = await prisma.participant.findFirst({ where: { id: participantId, exerciseId } });
      return row && toParticipant(row);
    },

    async principalByTokenHash(tokenHash) {
      // One round trip on every request: Prisma's `include` would be a second query.
      const rows = await prisma.$queryRaw<PrincipalRow[]>`
        SELECT p.id, p.exercise_id, p.role::text AS role, p.country,
               e.sim_epoch, e.wall_anchor, e.speed, e.running, e.freeze_while_paused
          FROM participants p JOIN exercises e ON e.id = p.exercise_id
         WHERE p.token_hash = ${tokenHash} AND p.revoked_at IS NULL`;
      const row = rows[0];
      if (!row) return null;
      return {
        participantId: row.id,
        exerciseId: row.exercise_id,
        role: row.role,
        ...(row.country && { country: row.country }),
        clock: clockOfRow(row),
      };
    },
  };
}
