import type { PrismaClient } from '../generated/prisma/client';
import type { Exercise as ExerciseRow, Participant as ParticipantRow } from '../generated/prisma/client';
import type { Exercise, ExerciseStore, Participant } from './exercise-types';

const toExercise = (row: ExerciseRow): Exercise => ({
  id: row.id,
  name: row.name,
  clock: { simEpoch: row.simEpoch, wallAnchor: row.wallAnchor, speed: row.speed, running: row.running },
  createdAt: row.createdAt,
});

const toParticipant = (row: ParticipantRow): Participant => ({
  id: row.id,
  exerciseId: row.exerciseId,
  role: row.role,
  country: row.country,
  createdAt: row.createdAt,
});

export function createExerciseStore(prisma: PrismaClient): ExerciseStore {
  return {
    async create(name, clock, facilitatorTokenHash) {
      return prisma.$transaction(async (tx) => {
        const exercise = await tx.exercise.create({ data: { name, ...clock } });
        const facilitator = await tx.participant.create({
          data: { exerciseId: exercise.id, role: 'facilitator', tokenHash: facilitatorTokenHash },
        });
        return { exercise: toExercise(exercise), facilitator: toParticipant(facilitator) };
      });
    },

    async find(id) {
      const row = await prisma.exercise.findUnique({ where: { id } });
      return row && toExercise(row);
    },

    async addParticipant(exerciseId, role, country, tokenHash) {
      return toParticipant(await prisma.participant.create({ data: { exerciseId, role, country, tokenHash } }));
    },

    async principalByTokenHash(tokenHash) {
      const row = await prisma.participant.findUnique({ where: { tokenHash }, include: { exercise: true } });
      if (!row || row.revokedAt) return null;
      const { exercise } = row;
      return {
        participantId: row.id,
        exerciseId: row.exerciseId,
        role: row.role,
        ...(row.country && { country: row.country }),
        clock: { simEpoch: exercise.simEpoch, wallAnchor: exercise.wallAnchor, speed: exercise.speed, running: exercise.running },
      };
    },
  };
}
