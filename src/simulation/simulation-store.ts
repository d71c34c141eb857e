/** The one writer of `simulations` (prisma/schema.prisma says what a row holds). */
import type { Prisma, PrismaClient } from '../generated/prisma/client';
import type { SimulationResult } from './run';

export type SimulationStatus = 'queued' | 'running' | 'done' | 'failed';

export interface SimulationRow {
  id: string;
  status: SimulationStatus;
  modelName: string;
  request: { years: number; replications: number; seed: number };
  replications: number;
  done: number;
  result: SimulationResult | null;
  error: string | null;
  createdAt: Date;
  updatedAt: Date;
  finishedAt: Date | null;
}

export interface SimulationStore {
  create(row: {
    id: string;
    modelName: string;
    request: object;
    replications: number;
    /** A forecast's exercise (none: a simulation). */
    exerciseId?: string;
  }): Promise<void>;
  /** The row, or null; `withResult: false` leaves the result out (lists, progress). */
  find(id: string, withResult?: boolean): Promise<SimulationRow | null>;
  /** The latest simulations (not forecasts). */
  list(limit: number): Promise<SimulationRow[]>;
  /** A forecast of the exercise, or null. */
  findForecast(exerciseId: string, id: string): Promise<SimulationRow | null>;
  running(id: string): Promise<void>;
  progress(id: string, done: number): Promise<void>;
  finish(id: string, outcome: { result: SimulationResult } | { error: string }): Promise<void>;
}

const SUMMARY = {
  id: true,
  status: true,
  modelName: true,
  request: true,
  replications: true,
  done: true,
  error: true,
  createdAt: true,
  updatedAt: true,
  finishedAt: true,
} as const;

export function createSimulationStore(prisma: PrismaClient): SimulationStore {
  const toRow = (row: Record<string, unknown>): SimulationRow => ({ result: null, ...row }) as unknown as SimulationRow;
  return {
    async create({ id, modelName, request, replications, exerciseId }) {
      await prisma.simulation.create({
        data: {
          id,
          status: 'queued',
          modelName,
          request: request as Prisma.InputJsonValue,
          replications,
          ...(exerciseId && { kind: 'forecast', exerciseId }),
        },
      });
    },
    async find(id, withResult = true) {
      const row = await prisma.simulation.findFirst({
        where: { id, kind: 'simulation' },
        select: { ...SUMMARY, result: withResult },
      });
      return row && toRow(row);
    },
    async findForecast(exerciseId, id) {
      const row = await prisma.simulation.findFirst({
        where: { id, exerciseId, kind: 'forecast' },
        select: { ...SUMMARY, result: true },
      });
      return row && toRow(row);
    },
    async list(limit) {
      const rows = await prisma.simulation.findMany({
        where: { kind: 'simulation' },
        select: SUMMARY,
        orderBy: { createdAt: 'desc' },
        take: limit,
      });
      return rows.map(toRow);
    },
    async running(id) {
      await prisma.simulation.update({ where: { id }, data: { status: 'running', updatedAt: new Date() } });
    },
    async progress(id, done) {
      await prisma.simulation.update({ where: { id }, data: { done, updatedAt: new Date() } });
    },
    async finish(id, outcome) {
      const now = new Date();
      await prisma.simulation.update({
        where: { id },
        data:
          'result' in outcome
            ? {
                status: 'done',
                result: outcome.result as unknown as Prisma.InputJsonValue,
                done: outcome.result.replications,
                updatedAt: now,
                finishedAt: now,
              }
            : { status: 'failed', error: outcome.error, updatedAt: now, finishedAt: now },
      });
    },
  };
}
