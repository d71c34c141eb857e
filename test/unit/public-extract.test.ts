import { ageAt } from '../../src/notices/public-extract';

describe('age on a public extract', () => {
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
});
