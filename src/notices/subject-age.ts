import { DateTime } from 'luxon';
import type { Subject } from './notice-types';

/**
 * Age in whole years on `on` (UTC), from the date of birth or, lacking one, 1 January of the year of
 * birth; null when neither is known or either date cannot be read. Never below 0.
 */
export function ageAt(subject: Pick<Subject, 'dateOfBirth' | 'yearOfBirth'>, on: Date | string): number | null {
  const day = typeof on === 'string' ? DateTime.fromISO(on, { zone: 'utc' }) : DateTime.fromJSDate(on, { zone: 'utc' });
  const birth = subject.dateOfBirth
    ? DateTime.fromISO(subject.dateOfBirth, { zone: 'utc' })
    : typeof subject.yearOfBirth === 'number'
      ? DateTime.utc(subject.yearOfBirth, 1, 1)
      : null;
  if (!birth?.isValid || !day.isValid) return null;
  return Math.max(0, Math.floor(day.startOf('day').diff(birth.startOf('day'), 'years').years));
}
