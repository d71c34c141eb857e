/**
 * A simulated period written into the database as an exercise (`npm run simulate -- --persist`), so that
 * the dashboard, heatmap, histories and debrief work on it as on a class's exercise. One replication runs
 * with a log (./sim-log.ts); the exercise starts on the period's first day with the notices alive then,
 * each with one IMPORTED entry, and holds every event of the period after it; its clock stands paused
 * at the period's end. Written by the notices store's batch import (src/notices/notice-import.ts): a few
 * statements per few thousand rows, never a request per event.
 */
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../generated/prisma/client';
import type { ExerciseService } from '../exercises/exercise-service';
import type { ExerciseWithTokens } from '../exercises/exercise-types';
import {
  checkpoint,
  importBatch,
  setLastEventSeq,
  type ImportBatch,
  type ImportedEvent,
  type ImportedNotice,
  type ImportedRecord,
} from '../notices/notice-import';
import type { ReplicationResult } from './engine';
import { replicate, type RunSpec } from './run';
import { SimLog, type LoggedNotice } from './sim-log';
import { subjectKeysOf } from '../notices/subject-keys';

export interface PersistDeps {
  prisma: PrismaClient;
  exercises: Pick<ExerciseService, 'createWith'>;
}

export interface Persisted {
  exercise: ExerciseWithTokens;
  result: ReplicationResult;
  notices: number;
  events: number;
  records: number;
  seconds: { simulate: number; write: number };
}

export interface PersistOptions {
  /** Which replication of the run (its streams); the first by default. */
  replication?: number;
  /** Rows per statement. */
  batchSize?: number;
  /** Batches written at once (PostgreSQL); the embedded PGlite takes one at a time whatever this says. */
  writers?: number;
  /** A checkpoint after each batch: what the embedded PGlite needs (notice-import.ts, `checkpoint`). */
  checkpoints?: boolean;
  onProgress?: (written: number, total: number) => void;
}

/** Batches written at once: one being serialised here while the database takes the others. */
const WRITERS = 3;

/**
 * Runs `work` on each item, `width` at a time; the first failure stops the rest and is thrown once the
 * batches already under way have ended, so that nothing is still being written when the caller cleans up.
 */
async function inParallel<T>(items: readonly T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  let failed = false;
  const lane = async () => {
    while (!failed && next < items.length) {
      const item = items[next++]!;
      try {
        await work(item);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  const lanes = await Promise.allSettled(Array.from({ length: Math.min(width, items.length) }, lane));
  const failure = lanes.find((l): l is PromiseRejectedResult => l.status === 'rejected');
  if (failure) throw failure.reason;
}

const day = (d: Date) => d.toISOString().slice(0, 10);

const periodEnd = (spec: RunSpec) => {
  const start = new Date(spec.model.start);
  return new Date(Date.UTC(start.getUTCFullYear() + spec.years, start.getUTCMonth(), start.getUTCDate()));
};

/** The rows of a log: each notice as it ended the period, its history numbered, its records acted on. */
export function rowsOf(log: SimLog): {
  notices: ImportedNotice[];
  history: ImportedEvent[];
  records: ImportedRecord[];
} {
  const ids = new Map<LoggedNotice, string>();
  const seqs = new Map<LoggedNotice, number>();
  const own = new Map<LoggedNotice, number>();
  const history: ImportedEvent[] = [];
  for (const { notice, entry } of log.entries) {
    if (!ids.has(notice)) ids.set(notice, randomUUID());
    const seq = (seqs.get(notice) ?? 0) + 1;
    seqs.set(notice, seq);
    if (entry.country === null) own.set(notice, (own.get(notice) ?? 0) + 1);
    // Numbered in the order it happened, from 1: the exercise is new.
    history.push({ noticeId: ids.get(notice)!, seq, exerciseSeq: history.length + 1, entry });
  }
  const notices: ImportedNotice[] = [];
  const records: ImportedRecord[] = [];
  for (const [logged, id] of ids) {
    const { notice } = logged.c;
    const { context } = notice;
    notices.push({
      // The API's derived columns (notice-transitions.ts, deriveWrite), and the snapshot as it is: the
      // simulation's contexts are plain data, written once by the import (a JSON round trip here cost seconds).
      state: notice.value,
      snapshot: { value: notice.value, context } as ImportedNotice['snapshot'],
      publishedAt: context.publishedAt ? new Date(context.publishedAt) : null,
      expiresAt: context.expiresAt ? new Date(context.expiresAt) : null,
      subject: subjectKeysOf(context.request),
      // A simulated notice circulates to every member but its requester.
      recipients: null,
      deadlines: context.deadlines.map((d) => ({ event: d.event, dueAt: new Date(d.at) })),
      id,
      type: notice.type,
      requestingCountry: logged.c.country,
      // The first own entry made the notice (version 1), each later one moved it on.
      version: own.get(logged)!,
      lastSeq: seqs.get(logged)!,
      lastEventAt: new Date(logged.lastEventAt),
    });
    for (const [country, kept] of logged.records) {
      // A record the notice's end closed moved once more, at that end.
      const closedByEnd = notice.done && kept.record.value === 'closed';
      records.push({
        noticeId: id,
        country,
        state: kept.record.value,
        version: 1 + kept.moves + (closedByEnd ? 1 : 0),
        createdAt: new Date(kept.createdAt),
        updatedAt: new Date(closedByEnd ? logged.lastEventAt : kept.updatedAt),
      });
    }
  }
  return { notices, history, records };
}

/** Runs one replication with a log and writes its period into a new exercise; gives the exercise's tokens. */
export async function persistReplication(
  deps: PersistDeps,
  spec: RunSpec & { modelName: string },
  options: PersistOptions = {},
): Promise<Persisted> {
  const started = performance.now();
  const log = new SimLog();
  const result = replicate(spec, options.replication ?? 0, log);
  const simulated = performance.now();
  const rows = rowsOf(log);
  const start = new Date(spec.model.start);
  const end = periodEnd(spec);
  const exercise = await deps.exercises.createWith({
    name: `Simulated ${day(start)} to ${day(end)} (${spec.modelName}, seed ${spec.seed})`,
    // Paused at the period's end; a reset takes it back to the period's first day.
    clock: { simEpoch: end, wallAnchor: new Date(), speed: 1, running: false, freezeWhilePaused: true },
    simStart: start,
    participants: [],
  });
  const size = options.batchSize ?? 2_000;
  const writers = options.writers ?? WRITERS;
  const total = rows.notices.length + rows.records.length + rows.history.length;
  let written = 0;
  const batches = (rows_: unknown[], per: number) =>
    Array.from({ length: Math.ceil(rows_.length / per) }, (_, i) => [i * per, (i + 1) * per] as const);
  const write = async (batch: ImportBatch, count: number) => {
    await importBatch(deps.prisma, exercise.exercise.id, batch);
    if (options.checkpoints) await checkpoint(deps.prisma);
    written += count;
    options.onProgress?.(written, total);
  };
  const none = { notices: [], history: [], records: [] };
  try {
    // Notices first (the other rows refer to them), then their records and history, a few batches at a
    // time: the database works on one while the next is serialised.
    await inParallel(batches(rows.notices, size), writers, async ([from, to]) => {
      await write({ ...none, notices: rows.notices.slice(from, to) }, Math.min(to, rows.notices.length) - from);
    });
    const later = [
      ...batches(rows.records, size * 5).map(([from, to]) => ({ ...none, records: rows.records.slice(from, to) })),
      ...batches(rows.history, size * 5).map(([from, to]) => ({ ...none, history: rows.history.slice(from, to) })),
    ];
    await inParallel(later, writers, (batch) => write(batch, batch.records.length + batch.history.length));
    await setLastEventSeq(deps.prisma, exercise.exercise.id, rows.history.length);
  } catch (error) {
    // Batches are transactions of their own: an exercise left half written would show a year that never was.
    // It goes, and all it holds with it (the schema's cascades), before the error is passed on.
    await deps.prisma.exercise.deleteMany({ where: { id: exercise.exercise.id } });
    throw error;
  }
  return {
    exercise,
    result,
    notices: rows.notices.length,
    events: rows.history.length,
    records: rows.records.length,
    seconds: { simulate: (simulated - started) / 1000, write: (performance.now() - simulated) / 1000 },
  };
}
