import { simulatedNow } from '../exercises/clock';
import type { ExerciseStore, Principal } from '../exercises/exercise-types';
import { runOutOfRange } from '../exercises/runs';
import { ForbiddenError, NotFoundError, ValidationError } from '../kernel/errors';
import type { NoticeStore } from '../notices/notice-store-type';
import type { InjectStore } from '../scenarios/inject-store';
import { scenarioOf } from '../scenarios/scenario-schema';
import { buildExerciseReport, type ExerciseReport } from './exercise-report';
import { AGGREGATE_ABOVE, createReportAggregateStore, type ReportAggregateStore } from './report-aggregates';
import { databaseFigures, type DatabaseFigures } from './report-databases';
import { loadReportMessages, type ReportMessage } from './report-messages';
import type { PrismaClient } from '../generated/prisma/client';

/** What a report reads besides the notices, on one Prisma client: its aggregates, searches and messages. */
export const reportFigures = (prisma: PrismaClient) => ({
  aggregates: createReportAggregateStore(prisma),
  databases: (exerciseId: string, run: number) => databaseFigures(prisma, exerciseId, run),
  messages: (exerciseId: string, run: number) => loadReportMessages(prisma, exerciseId, run),
});

export interface ReportService {
  /** The debrief report of a run (the current one when left out), for the facilitator and observers. */
  report(principal: Principal, exerciseId: string, run?: number): Promise<ExerciseReport>;
  /** The report without a caller, for the headless runner. */
  reportOf(exerciseId: string, run?: number): Promise<ExerciseReport>;
}

export function createReportService(
  deps: {
    exercises: ExerciseStore;
    notices: NoticeStore;
    injects: InjectStore;
    aggregates?: ReportAggregateStore;
    /** The run's searches and hits (report-databases.ts); none without the databases. */
    databases?: (exerciseId: string, run: number) => Promise<DatabaseFigures>;
    /** The run's messages (report-messages.ts); none without them. */
    messages?: (exerciseId: string, run: number) => Promise<ReportMessage[]>;
  },
  wallNow: () => Date = () => new Date(),
): ReportService {
  async function reportOf(exerciseId: string, requested?: number): Promise<ExerciseReport> {
    const exercise = await deps.exercises.find(exerciseId);
    if (!exercise) throw new NotFoundError('Exercise');
    if (requested !== undefined && requested > exercise.run) {
      throw ValidationError.of('query.run', runOutOfRange(exercise.run));
    }
    const run = requested ?? exercise.run;
    const [messages, databases] = await Promise.all([
      deps.messages ? deps.messages(exerciseId, run) : undefined,
      deps.databases ? deps.databases(exerciseId, run) : null,
    ]);
    return { ...(await noticesReportOf(exercise, run, messages)), databases };
  }

  async function noticesReportOf(
    exercise: NonNullable<Awaited<ReturnType<ExerciseStore['find']>>>,
    run: number,
    messages: ReportMessage[] | undefined,
  ): Promise<ExerciseReport> {
    const exerciseId = exercise.id;
    const scenario = scenarioOf(exercise);
    const now = simulatedNow(exercise.clock, wallNow());
    if (!scenario && deps.aggregates && (await deps.aggregates.noticeCount(exerciseId, run)) > AGGREGATE_ABOVE) {
      return aggregatedReport(exercise, now, run, exerciseId, messages);
    }
    const [participants, notices, history, injects, noticeKeys, records] = await Promise.all([
      deps.exercises.listParticipants(exerciseId),
      deps.notices.list(exerciseId, { run, reader: { role: 'observer' }, limit: 1_000_000_000, offset: 0 }),
      deps.notices.exerciseHistory(exerciseId, run),
      deps.injects.list(exerciseId, run),
      deps.injects.noticeKeys(exerciseId, run),
      deps.notices.recordCounts(exerciseId, run),
    ]);
    return buildExerciseReport({
      exercise: { id: exercise.id, name: exercise.name, scenario },
      now,
      participants,
      notices,
      history,
      injects,
      noticeKeys,
      records,
      messages,
    });
  }

  /** A large exercise's debrief: the summary and the aggregates the database counts, no row per notice. */
  async function aggregatedReport(
    exercise: { id: string; name: string; simStart: Date },
    now: Date,
    run: number,
    exerciseId: string,
    messages: ReportMessage[] | undefined,
  ): Promise<ExerciseReport> {
    const [counted, notices] = await Promise.all([
      deps.aggregates!.aggregates(exerciseId, run),
      deps.aggregates!.noticeCount(exerciseId, run),
    ]);
    const empty = buildExerciseReport({
      exercise: { id: exercise.id, name: exercise.name, scenario: null },
      now,
      participants: [],
      notices: [],
      history: [],
      injects: [],
      noticeKeys: new Map(),
      records: new Map(),
      messages,
    });
    return {
      ...empty,
      // No scenario says when it began: the exercise's own start does (a simulated year's first day).
      exercise: { ...empty.exercise, start: exercise.simStart.toISOString() },
      summary: { ...empty.summary, notices, events: counted.events, refusals: counted.refusals },
      aggregates: counted.aggregates,
    };
  }

  return {
    async report(principal, exerciseId, run) {
      if (principal.exerciseId !== exerciseId) throw new NotFoundError('Exercise');
      // It shows every country's records and the script still to come: not for the teams in play.
      if (principal.role !== 'facilitator' && principal.role !== 'observer') {
        throw new ForbiddenError(
          'The report is for the facilitator and observers: it shows every country’s records and the injects ' +
            'still to come',
        );
      }
      return reportOf(exerciseId, run);
    },
    reportOf,
  };
}
