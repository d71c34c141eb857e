/** Durations of the notice lifecycle, and the pure UTC date arithmetic the machines use with them. */
import { END_OF_TIME_MS } from '../exercises/clock';

export interface DeadlineConfig {
  /** A published notice is valid this long. */
  validityYears: number;
  /** The GS asks the source whether to extend this long before expiry (RPD Art. 50). */
  renewalWindowMonths: number;
  /** A suspension lapses into withdrawal after this long (RPD Art. 81: at most 6 months; lapse assumed). */
  suspensionMaxMonths: number;
  /** An information request is refused unless answered within this many days (assumed). */
  infoAnswerDays: number;
}

export const DEADLINE_CONFIG: Readonly<DeadlineConfig> = Object.freeze({
  validityYears: 5,
  renewalWindowMonths: 6,
  suspensionMaxMonths: 6,
  infoAnswerDays: 60,
});

function parseIso(iso: string): Date {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    throw new RangeError(`Not an ISO timestamp: ${JSON.stringify(iso)}`);
  }
  return date;
}

/**
 * Normalizes an ISO timestamp to `toISOString()` form (UTC, milliseconds), so timestamps
 * stored in context compare correctly as strings.
 */
export function normalizeIso(iso: string): string {
  return parseIso(iso).toISOString();
}

function daysInUtcMonth(year: number, monthIndex: number): number {
  return new Date(Date.UTC(year, monthIndex + 1, 0)).getUTCDate();
}

/**
 * Adds calendar months in UTC. The day is clamped to the target month's last day
 * (31 Aug + 6 months = 28/29 Feb), so an expiry never spills into the following month.
 */
export function addMonths(iso: string, months: number): string {
  const date = parseIso(iso);
  const totalMonths = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(totalMonths / 12);
  const monthIndex = totalMonths - year * 12;
  const day = Math.min(date.getUTCDate(), daysInUtcMonth(year, monthIndex));
  const result = new Date(date.getTime());
  result.setUTCFullYear(year, monthIndex, day);
  return result.toISOString();
}

/** Adds calendar years in UTC; 29 Feb falls back to 28 Feb in a common year. */
export function addYears(iso: string, years: number): string {
  return addMonths(iso, years * 12);
}

/** Adds whole days of 24 hours (UTC has no daylight saving shifts). */
export function addDays(iso: string, days: number): string {
  return new Date(parseIso(iso).getTime() + days * 86_400_000).toISOString();
}

/** Simulated time ends with year 9999 (see exercises/clock.ts): a deadline past it falls on that last second. */
function notPastTheEnd(iso: string): string {
  return Date.parse(iso) > END_OF_TIME_MS ? new Date(END_OF_TIME_MS).toISOString() : iso;
}

export function expiryFrom(publishedAt: string, config: DeadlineConfig = DEADLINE_CONFIG): string {
  return notPastTheEnd(addYears(publishedAt, config.validityYears));
}

export function renewalWindowOpensAt(expiresAt: string, config: DeadlineConfig = DEADLINE_CONFIG): string {
  return addMonths(expiresAt, -config.renewalWindowMonths);
}

export function suspensionLapsesAt(suspendedAt: string, config: DeadlineConfig = DEADLINE_CONFIG): string {
  return notPastTheEnd(addMonths(suspendedAt, config.suspensionMaxMonths));
}

export function infoAnswerDueAt(requestedAt: string, config: DeadlineConfig = DEADLINE_CONFIG): string {
  return notPastTheEnd(addDays(requestedAt, config.infoAnswerDays));
}
