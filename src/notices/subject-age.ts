import { DateTime } from 'luxon';
import { DAY_MS, canonicalMillis, wholeYearsBetween } from '../kernel/utc-calendar';
import type { Subject } from './notice-types';

const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Midnight (UTC) of a `YYYY-MM-DD` date that exists, or null. */
function dateOnlyMillis(date: string): number | null {
  const match = DATE_ONLY.exec(date);
  if (!match) return null;
  const ms = Date.parse(`${date}T00:00:00.000Z`);
  if (Number.isNaN(ms)) return null;
  // A day that does not exist (30 February) is read as another one: only a date read back the same is taken.
  const read = new Date(ms);
  const same =
    read.getUTCFullYear() === Number(match[1]) &&
    read.getUTCMonth() + 1 === Number(match[2]) &&
    read.getUTCDate() === Number(match[3]);
  return same ? ms : null;
}

const midnight = (ms: number): number => ms - (((ms % DAY_MS) + DAY_MS) % DAY_MS);

/**
 * Age in whole years on `on` (UTC), from the date of birth or, lacking one, 1 January of the year of
 * birth; null when neither is known or either date cannot be read. Never below 0. The stored forms
 * (`YYYY-MM-DD` dates, a `toISOString()` instant) are read without luxon, which was most of a
 * compliance check's cost in the simulation's profile; any other form goes to luxon.
 */
export function ageAt(subject: Pick<Subject, 'dateOfBirth' | 'yearOfBirth'>, on: Date | string): number | null {
  const dayMs = typeof on === 'string' ? (canonicalMillis(on) ?? dateOnlyMillis(on)) : on.getTime();
  const birthMs = subject.dateOfBirth
    ? dateOnlyMillis(subject.dateOfBirth)
    : typeof subject.yearOfBirth === 'number' && subject.yearOfBirth >= 1000 && subject.yearOfBirth <= 9999
      ? Date.UTC(subject.yearOfBirth, 0, 1)
      : null;
  if (dayMs !== null && !Number.isNaN(dayMs) && birthMs !== null) {
    const day = midnight(dayMs);
    return day < birthMs ? 0 : wholeYearsBetween(birthMs, day);
  }
  return ageViaLuxon(subject, on);
}

function ageViaLuxon(subject: Pick<Subject, 'dateOfBirth' | 'yearOfBirth'>, on: Date | string): number | null {
  const day = typeof on === 'string' ? DateTime.fromISO(on, { zone: 'utc' }) : DateTime.fromJSDate(on, { zone: 'utc' });
  const birth = subject.dateOfBirth
    ? DateTime.fromISO(subject.dateOfBirth, { zone: 'utc' })
    : typeof subject.yearOfBirth === 'number'
      ? DateTime.utc(subject.yearOfBirth, 1, 1)
      : null;
  if (!birth?.isValid || !day.isValid) return null;
  return Math.max(0, Math.floor(day.startOf('day').diff(birth.startOf('day'), 'years').years));
}
