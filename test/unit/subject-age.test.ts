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
});
