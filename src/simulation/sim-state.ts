/**
 * What one replication holds while it runs (src/simulation/engine.ts drives it): the event list, the
 * notices' cases, the reviewers, the counts. The parts that act on it (sim-notices.ts, sim-review.ts)
 * take it as their first argument.
 */
import type { CirculationContext, CirculationEvent } from '../circulation/circulation-machine';
import { MEMBER_COUNTRIES } from '../countries/member-countries';
import { isoOfMillis } from '../kernel/utc-calendar';
import type { Actor } from '../exercises/exercise-types';
import type { NoticeDeadline, NoticeEvent } from '../notices/notice-machine';
import type { NoticeType } from '../notices/notice-types';
import { createEventList, type EventList } from './event-list';
import type { SimNotice } from './lifecycle';
import type { Distribution, Model } from './model';
import type { Random } from '../kernel/random';
import type { RequestFlaws } from './requests';
import { FIGURE_NAMES, type FigureName } from './result';
import type { WorkingCalendar } from './working-time';

export const DAY = 86_400_000;
export const YEAR = 365.25 * DAY;
export const VALID: ReadonlySet<string> = new Set(['published', 'suspended', 'renewal_pending', 'located']);
export const IN_REVIEW: ReadonlySet<string> = new Set(['submitted', 'under_review', 'info_requested']);

/** A notice in the simulation, with what the engine knows of it beyond its machine. */
export interface Case {
  notice: SimNotice;
  country: string;
  owner: Actor;
  flaws: RequestFlaws;
  submittedAt: number;
  asked: number;
  /** Moves on each change of state: outcomes drawn for an earlier state are dropped. */
  epoch: number;
  /** The deadline last scheduled (its event and time), so that each is scheduled once. */
  deadlineEvent: string;
  deadlineAt: string;
  records?: Map<string, SimRecord>;
}

/** A circulation record, made only where a country acts. */
export interface SimRecord {
  value: string;
  context: CirculationContext;
  country: string;
}

export type OwnerEvent = 'RENEW' | 'RESUME' | 'WITHDRAW';
export type RecordStep = 'PROVISIONAL_ARREST' | 'SURRENDER' | 'DECLINE_ACTION';

export type Item =
  | { kind: 'arrival'; type: NoticeType }
  | { kind: 'reviewDone'; c: Case; busy: number }
  | { kind: 'reviewWake' }
  | { kind: 'answer'; c: Case }
  | { kind: 'deadline'; c: Case; deadline: NoticeDeadline }
  | { kind: 'life'; c: Case; epoch: number }
  | { kind: 'owner'; c: Case; event: OwnerEvent; epoch: number }
  | { kind: 'record'; c: Case; record: SimRecord; event: RecordStep }
  | { kind: 'day' }
  | { kind: 'yearEnd'; year: number };

/** What the engine tells of its moves, as they happen (simulated time `at`, in ms). */
export interface SimObserver {
  /** A new notice, a draft. */
  created(c: Case, at: number): void;
  /** The simulated period begins (the warm-up is over). */
  periodStarts(at: number): void;
  noticeMoved(c: Case, before: string, event: NoticeEvent, at: number): void;
  recordMoved(c: Case, record: SimRecord, before: string, event: CirculationEvent, at: number): void;
}

export interface Streams {
  arrivals: Random;
  review: Random;
  life: Random;
}

export interface Series {
  redIssued: number[];
  yellowIssued: number[];
  ended: number[];
  validRed: number[];
  validYellow: number[];
  backlogDaily: number[];
  reviewDaysHistogram: number[];
}

export interface SimState {
  model: Model;
  random: Streams;
  list: EventList<Item>;
  startMs: number;
  endMs: number;
  now: number;
  counts: Record<FigureName, number>;
  valid: Record<NoticeType, number>;
  calendar: WorkingCalendar;
  countries: string[];
  weights: number[];
  nextId: number;
  events: number;
  review: { free: number; queue: Case[]; head: number; wakePending: boolean; busyInPeriod: number };
  backlog: { inReview: number; area: number; since: number };
  reviewDays: number[];
  months: number[];
  series: Series;
  /** Told of every move when the period is to be written into an exercise (./sim-log.ts); absent, nothing is kept. */
  log?: SimObserver;
}

export function createState(model: Model, random: Streams, startMs: number, endMs: number): SimState {
  const months: number[] = [];
  const start = new Date(startMs);
  for (let m = 0; ; m++) {
    const t = Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + m, 1);
    if (t >= endMs) break;
    months.push(t);
  }
  const zeros = () => months.map(() => 0);
  const countries = MEMBER_COUNTRIES.map((c) => c.code);
  return {
    model,
    random,
    list: createEventList<Item>(Date.parse(model.warmUpFrom), endMs),
    startMs,
    endMs,
    now: Date.parse(model.warmUpFrom),
    counts: Object.fromEntries(FIGURE_NAMES.map((name) => [name, 0])) as Record<FigureName, number>,
    valid: { RED: 0, YELLOW: 0 },
    calendar: {
      days: new Set(model.review.workingDays),
      startHour: model.review.workingHours.start,
      endHour: model.review.workingHours.end,
    },
    countries,
    weights: countries.map((code) => model.arrivals.countryWeights[code] ?? model.arrivals.otherCountryWeight),
    nextId: 1,
    events: 0,
    review: { free: model.review.reviewers, queue: [], head: 0, wakePending: false, busyInPeriod: 0 },
    backlog: { inReview: 0, area: 0, since: startMs },
    reviewDays: [],
    months,
    series: {
      redIssued: zeros(),
      yellowIssued: zeros(),
      ended: zeros(),
      validRed: zeros(),
      validYellow: zeros(),
      backlogDaily: [],
      reviewDaysHistogram: Array.from({ length: 61 }, () => 0),
    },
  };
}

export const inPeriod = (s: SimState, t = s.now) => t >= s.startMs && t < s.endMs;
let isoAt = Number.NaN;
let iso = '';
/** Simulated now as the machines take it; an event's moves ask for it several times, so the last one is kept. */
export function isoNow(s: SimState): string {
  if (s.now !== isoAt) {
    isoAt = s.now;
    iso = isoOfMillis(s.now);
  }
  return iso;
}

/** The month of the period `t` falls in, from 0. */
export function monthOf(s: SimState, t = s.now): number {
  const d = new Date(t);
  const start = new Date(s.startMs);
  return (d.getUTCFullYear() - start.getUTCFullYear()) * 12 + d.getUTCMonth() - start.getUTCMonth();
}

/** Changes the number in review, adding the time it held to the period's area under the backlog curve. */
export function changeInReview(s: SimState, delta: number): void {
  const b = s.backlog;
  const until = Math.min(s.now, s.endMs);
  const from = Math.max(b.since, s.startMs);
  if (until > from) b.area += b.inReview * (until - from);
  if (until > b.since) b.since = until;
  b.inReview += delta;
}

/** Draws a duration from a distribution. */
export function draw(random: Random, d: Distribution): number {
  switch (d.kind) {
    case 'fixed':
      return d.value;
    case 'exponential':
      return random.exponential(d.mean);
    case 'uniform':
      return d.min + (d.max - d.min) * random.uniform();
    case 'lognormal': {
      const sigma2 = Math.log(1 + d.cv * d.cv);
      return Math.exp(Math.log(d.mean) - sigma2 / 2 + Math.sqrt(sigma2) * random.normal());
    }
  }
}

/** A series' years in order, per series (asked for at every arrival). */
const sortedYears = new WeakMap<Record<string, number>, number[]>();

/** A yearly series' value: interpolated between the years given, grown back before them, flat or trend after. */
export function seriesValue(values: Record<string, number>, year: number, growthBefore: number, after: string): number {
  let years = sortedYears.get(values);
  if (!years) {
    years = Object.keys(values)
      .map(Number)
      .sort((a, b) => a - b);
    sortedYears.set(values, years);
  }
  const first = years[0]!;
  const last = years[years.length - 1]!;
  const at = (y: number) => values[String(y)]!;
  if (year <= first) return at(first) / (1 + growthBefore) ** (first - year);
  if (year >= last) {
    if (after === 'flat' || years.length === 1) return at(last);
    const before = years[years.length - 2]!;
    return Math.max(0, at(last) + ((at(last) - at(before)) / (last - before)) * (year - last));
  }
  const hi = years.find((y) => y >= year)!;
  const lo = years[years.indexOf(hi) - 1]!;
  return at(lo) + ((at(hi) - at(lo)) * (year - lo)) / (hi - lo);
}

/** The p-quantile of sorted values, interpolated between neighbours (R-7, as d3-array gives it). */
export function quantileSorted(sorted: readonly number[], p: number): number {
  if (!sorted.length) return 0;
  const i = (sorted.length - 1) * p;
  const lo = Math.floor(i);
  return sorted[lo]! + (sorted[Math.min(lo + 1, sorted.length - 1)]! - sorted[lo]!) * (i - lo);
}
