/**
 * One replication of a model: a discrete-event simulation of the notice system from the empty system
 * of `warmUpFrom` through the simulated period. Notices move only by the API's machines (./lifecycle.ts),
 * circulation records by the circulation machine's table; the engine decides who sends which event and
 * when (sim-review.ts: arrivals and the GS's queue; sim-notices.ts: outcomes at yearly rates), and
 * counts. Pure: its time is the event list's, its randomness the seeded streams it is given.
 */
import type { Model } from './model';
import type { FigureName } from './result';
import { onDeadline, onLife, onOwner, onRecord } from './sim-notices';
import { onAnswer, onArrival, onReviewDone, scheduleArrival, startReviews } from './sim-review';
import {
  DAY,
  YEAR,
  changeInReview,
  createState,
  monthOf,
  quantileSorted,
  seriesValue,
  type Series,
  type SimObserver,
  type SimState,
  type Streams,
} from './sim-state';
import { workingTimeBetween } from './working-time';

export interface ReplicationOptions {
  model: Model;
  years: number;
  /** Independent streams, so that a change to one part of the model keeps the other parts' draws. */
  random: Streams;
  /** Keeps the period's notices and events, to write them into an exercise. */
  log?: SimObserver;
}

export interface ReplicationResult {
  figures: Record<FigureName, number>;
  /** Valid notices at the end of each calendar year from the first (warm-up included). */
  stockByYear: Record<string, { red: number; yellow: number }>;
  /** Monthly (issued, ended, valid on the 1st) and daily (backlog) series of the period. */
  series: Series & { months: string[] };
  /** Transitions taken, notices' and records'. */
  events: number;
}

const yearStart = (year: number) => Date.UTC(year, 0, 1);

export function runReplication({ model, years, random, log }: ReplicationOptions): ReplicationResult {
  const start = new Date(Date.parse(model.start));
  const startMs = start.getTime();
  const endMs = Date.UTC(start.getUTCFullYear() + years, start.getUTCMonth(), start.getUTCDate());
  const s = createState(model, random, startMs, endMs);
  if (log) s.log = log;
  scheduleArrival(s, 'RED', s.now);
  scheduleArrival(s, 'YELLOW', s.now);
  return runEvents(s);
}

/** Takes the state's events from its now to the end of its period, and gives the period's figures. */
export function runEvents(s: SimState): ReplicationResult {
  const { startMs, endMs } = s;
  const stockByYear: Record<string, { red: number; yellow: number }> = {};
  for (let y = new Date(s.now).getUTCFullYear(); yearStart(y + 1) <= endMs; y++) {
    s.list.schedule(yearStart(y + 1) - 1, { kind: 'yearEnd', year: y });
  }
  for (let t = startMs; t < endMs; t += DAY) s.list.schedule(t, { kind: 'day' });

  const periodStarts = () => {
    s.log?.periodStarts(startMs);
    return { ...s.valid };
  };
  let atStart: Record<'RED' | 'YELLOW', number> | null = s.now >= startMs ? periodStarts() : null;
  for (let next = s.list.next(); next && next.at < endMs; next = s.list.next()) {
    s.now = next.at;
    if (!atStart && s.now >= startMs) atStart = periodStarts();
    const item = next.item;
    switch (item.kind) {
      case 'arrival':
        onArrival(s, item.type);
        break;
      case 'reviewDone':
        onReviewDone(s, item.c, item.busy);
        break;
      case 'reviewWake':
        s.review.wakePending = false;
        startReviews(s);
        break;
      case 'answer':
        onAnswer(s, item.c);
        break;
      case 'deadline':
        onDeadline(s, item.c, item.deadline);
        break;
      case 'life':
        onLife(s, item.c, item.epoch);
        break;
      case 'owner':
        onOwner(s, item.c, item.event, item.epoch);
        break;
      case 'record':
        onRecord(s, item.c, item.record, item.event);
        break;
      case 'day':
        s.series.backlogDaily.push(s.backlog.inReview);
        if (new Date(s.now).getUTCDate() === 1) {
          s.series.validRed[monthOf(s)] = s.valid.RED;
          s.series.validYellow[monthOf(s)] = s.valid.YELLOW;
        }
        break;
      case 'yearEnd':
        stockByYear[String(item.year)] = { red: s.valid.RED, yellow: s.valid.YELLOW };
        break;
    }
  }
  s.now = endMs;
  changeInReview(s, 0);
  return {
    figures: finalFigures(s, atStart ?? { ...s.valid }),
    stockByYear,
    series: { months: s.months.map((t) => new Date(t).toISOString().slice(0, 10)), ...s.series },
    events: s.events,
  };
}

function finalFigures(s: SimState, atStart: Record<'RED' | 'YELLOW', number>): Record<FigureName, number> {
  const c = s.counts;
  const days = [...s.reviewDays].sort((a, b) => a - b);
  const working = workingTimeBetween(s.startMs, s.endMs, s.calendar) * s.model.review.reviewers;
  return {
    ...c,
    redValidAtStart: atStart.RED,
    yellowValidAtStart: atStart.YELLOW,
    redValidAtEnd: s.valid.RED,
    yellowValidAtEnd: s.valid.YELLOW,
    databaseHits: databaseHits(s),
    reviewDaysMean: days.length ? days.reduce((sum, d) => sum + d, 0) / days.length : 0,
    reviewDaysP50: quantileSorted(days, 0.5),
    reviewDaysP95: quantileSorted(days, 0.95),
    gsBacklogMean: s.backlog.area / (s.endMs - s.startMs),
    gsBacklogAtEnd: s.backlog.inReview,
    gsUtilisation: working > 0 ? s.review.busyInPeriod / working : 0,
  };
}

/** Positive database searches in the period: a Poisson count at the series' rate for each year. */
function databaseHits(s: SimState): number {
  const series = s.model.databaseHits;
  let total = 0;
  for (let t = s.startMs; t < s.endMs;) {
    const year = new Date(t).getUTCFullYear();
    const until = Math.min(s.endMs, yearStart(year + 1));
    const perYear = seriesValue(series.perYear, year, 0, series.afterLast);
    total += s.random.life.poisson((perYear * (until - t)) / YEAR);
    t = until;
  }
  return total;
}
