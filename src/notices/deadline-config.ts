/** Durations of the notice lifecycle, and the date arithmetic the machines use with them (in UTC). */
import { DateTime } from 'luxon';
import { END_OF_TIME_MS } from '../exercises/clock';
import { DAY_MS, canonicalMillis, isoOfMillis, plusMonthsMillis } from '../kernel/utc-calendar';

const END_OF_TIME_ISO = new Date(END_OF_TIME_MS).toISOString();

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

function parseIso(iso: string): DateTime {
  const ms = canonicalMillis(iso);
  if (ms !== null) return DateTime.fromMillis(ms, { zone: 'utc' });
  const date = DateTime.fromISO(iso, { zone: 'utc' });
  if (!date.isValid) throw new RangeError(`Not an ISO timestamp: ${JSON.stringify(iso)}`);
  return date;
}

/**
 * Normalizes an ISO timestamp to `toISOString()` form (UTC, milliseconds), so timestamps
 * stored in context compare correctly as strings.
 */
export function normalizeIso(iso: string): string {
  if (canonicalMillis(iso) !== null) return iso;
  return parseIso(iso).toJSDate().toISOString();
}

/**
 * Adds calendar time in UTC. A day past the end of a shorter month is clamped to its last day
 * (31 Aug + 6 months = 28/29 Feb), so an expiry never spills into the following month.
 */
function plus(iso: string, duration: { months?: number; years?: number; days?: number }): string {
  const ms = canonicalMillis(iso);
  const months = (duration.months ?? 0) + 12 * (duration.years ?? 0);
  const days = duration.days ?? 0;
  if (ms !== null && Number.isInteger(months) && Number.isInteger(days)) {
    const shifted = plusMonthsMillis(ms, months) + days * DAY_MS;
    if (Math.abs(shifted) <= 8.64e15) return isoOfMillis(shifted);
  }
  return parseIso(iso).plus(duration).toJSDate().toISOString();
}

export const addMonths = (iso: string, months: number): string => plus(iso, { months });
export const addYears = (iso: string, years: number): string => plus(iso, { years });
/** Whole days of 24 hours (UTC has no daylight saving shifts). */
export const addDays = (iso: string, days: number): string => plus(iso, { days });

/** Simulated time ends with year 9999 (see exercises/clock.ts): a deadline past it falls on that last second. */
function notPastTheEnd(iso: string): string {
  // The form the machines write (24 characters, ending in Z) orders as its instants do: no parse needed.
  if (iso.length === 24 && iso.endsWith('Z') && iso <= END_OF_TIME_ISO) return iso;
  return Date.parse(iso) > END_OF_TIME_MS ? END_OF_TIME_ISO : iso;
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
