import fc from 'fast-check';
import { DateTime } from 'luxon';
import { ageAt } from '../../src/notices/subject-age';

describe('age of a subject (public extracts and the adult-consent check)', () => {
  const now = new Date('2026-11-29T10:00:00Z');
  it('counts whole years, the birthday itself included', () => {
    expect(ageAt({ dateOfBirth: '1984-03-12' }, now)).toBe(42);
    expect(ageAt({ dateOfBirth: '2016-11-29' }, now)).toBe(10);
    expect(ageAt({ dateOfBirth: '2016-11-30' }, now)).toBe(9);
  });
  it('takes 1 January of the birth year when only the year is known, and is null when nothing is', () => {
    expect(ageAt({ yearOfBirth: 1990 }, now)).toBe(36);
    expect(ageAt({}, now)).toBeNull();
  });
  it('reads a day as well as a time, and is null for a date it cannot read', () => {
    expect(ageAt({ dateOfBirth: '2008-06-01' }, '2026-06-01')).toBe(18);
    expect(ageAt({ dateOfBirth: '2008-06-01' }, '2026-05-31')).toBe(17);
    expect(ageAt({ dateOfBirth: '2008-13-01' }, now)).toBeNull();
  });
  it('counts a 29 February birthday as luxon does: a year older on 28 February of a common year', () => {
    expect(ageAt({ dateOfBirth: '2008-02-29' }, '2009-02-28T00:00:00.000Z')).toBe(1);
    expect(ageAt({ dateOfBirth: '2008-02-29' }, '2009-02-27T23:59:59.999Z')).toBe(0);
    expect(ageAt({ dateOfBirth: '2030-01-01' }, now)).toBe(0);
  });

  // The stored forms are read without luxon: the result must be luxon's on every date pair.
  it('agrees with luxon on every birth date and instant', () => {
    const viaLuxon = (dateOfBirth: string, on: string) =>
      Math.max(
        0,
        Math.floor(
          DateTime.fromISO(on, { zone: 'utc' })
            .startOf('day')
            .diff(DateTime.fromISO(dateOfBirth, { zone: 'utc' }).startOf('day'), 'years').years,
        ),
      );
    const range = { min: new Date('1000-01-01T00:00:00.000Z'), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true };
    fc.assert(
      fc.property(fc.date(range), fc.date(range), (birth, day) => {
        const dateOfBirth = birth.toISOString().slice(0, 10);
        const on = day.toISOString();
        expect(ageAt({ dateOfBirth }, on)).toBe(viaLuxon(dateOfBirth, on));
        expect(ageAt({ dateOfBirth }, day)).toBe(viaLuxon(dateOfBirth, on));
        expect(ageAt({ dateOfBirth }, on.slice(0, 10))).toBe(viaLuxon(dateOfBirth, on.slice(0, 10)));
      }),
      { numRuns: 5000 },
    );
    // Around birthdays, where an off-by-one would show.
    fc.assert(
      fc.property(fc.date(range), fc.integer({ min: 0, max: 90 }), fc.integer({ min: -2, max: 2 }), (birth, years, days) => {
        const dateOfBirth = birth.toISOString().slice(0, 10);
        const on = DateTime.fromISO(dateOfBirth, { zone: 'utc' }).plus({ years, days, hours: 13 }).toJSDate().toISOString();
        expect(ageAt({ dateOfBirth }, on)).toBe(viaLuxon(dateOfBirth, on));
      }),
      { numRuns: 5000 },
    );
  });
});
