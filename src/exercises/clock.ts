import { DateTime, Duration } from 'luxon';

/** An exercise's simulated clock as stored: simulated time `simEpoch` at wall time `wallAnchor`, running at `speed`. */
export interface ExerciseClock {
  simEpoch: Date;
  wallAnchor: Date;
  /** Simulated seconds per wall second. */
  speed: number;
  running: boolean;
  /** Whether a pause stops the teams (ncb, gs, ccf) too, or only the clock (a self-paced class). */
  freezeWhilePaused: boolean;
}

/** Simulated time stops at the end of year 9999, which PostgreSQL and Date can both hold. */
export const END_OF_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59);

/**
 * The speeds a clock may run at, in simulated seconds per wall second: from a thousandth of real time
 * (all but still while teams act, so that only the facilitator's advances move it) to a simulated
 * year each wall second.
 */
export const MIN_SPEED = 0.001;
export const MAX_SPEED = 31_536_000;

/**
 * Why simulated time cannot be worked out from this clock as stored (a speed that is not a finite
 * number at least 0, a time that is not a date), or null when it can. The API never writes such a
 * clock; a row written another way is skipped by the ticker, not allowed to stop every exercise.
 */
export function clockProblem(clock: ExerciseClock): string | null {
  if (!Number.isFinite(clock.speed) || clock.speed < 0)
    return `speed ${clock.speed} is not a finite number of at least 0`;
  if (Number.isNaN(clock.simEpoch.getTime())) return 'its simulated time is not a date';
  if (Number.isNaN(clock.wallAnchor.getTime())) return 'its wall-time anchor is not a date';
  return null;
}

/** Simulated now: the epoch, plus the wall time since the anchor scaled by speed while the clock runs. */
export function simulatedNow(clock: ExerciseClock, wallNow: Date = new Date()): Date {
  const elapsed = clock.running ? Math.max(0, wallNow.getTime() - clock.wallAnchor.getTime()) : 0;
  return new Date(Math.min(END_OF_TIME_MS, clock.simEpoch.getTime() + Math.round(elapsed * clock.speed)));
}

/** An ISO 8601 duration without a sign (P7D, PT2H30M, P1Y2M, PT0S), as the documents write its pattern. */
export const ISO_DURATION = /^P(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$/;

/** The longest step an `advance` may take. */
export const MAX_ADVANCE_YEARS = 10;

export type ClockAction =
  | { action: 'pause' }
  | { action: 'resume' }
  | { action: 'advance'; by: string }
  | { action: 'set_speed'; speed: number };

/** Adds an ISO 8601 duration (`P30D`, `PT2H`, `P6Y`) to a time, with calendar months and years, in UTC. */
export function addIsoDuration(time: Date, iso: string): Date {
  const duration = Duration.fromISO(iso);
  if (!duration.isValid) throw new RangeError(`not an ISO 8601 duration: ${iso}`);
  return DateTime.fromJSDate(time, { zone: 'utc' }).plus(duration).toJSDate();
}

/**
 * The clock after a facilitator's action at wall time `wallNow`. Every action re-anchors the clock
 * at the current simulated time, so what has elapsed so far is kept and only what follows changes.
 */
export function applyClockAction(clock: ExerciseClock, action: ClockAction, wallNow: Date = new Date()): ExerciseClock {
  const now = simulatedNow(clock, wallNow);
  const anchored = { ...clock, simEpoch: now, wallAnchor: wallNow };
  switch (action.action) {
    case 'pause':
      return { ...anchored, running: false };
    case 'resume':
      return { ...anchored, running: true };
    case 'advance':
      return { ...anchored, simEpoch: new Date(Math.min(END_OF_TIME_MS, addIsoDuration(now, action.by).getTime())) };
    case 'set_speed':
      return { ...anchored, speed: action.speed };
  }
}
