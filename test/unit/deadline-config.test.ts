import {
  DEADLINE_CONFIG,
  addDays,
  addMonths,
  addYears,
  expiryFrom,
  infoAnswerDueAt,
  normalizeIso,
  renewalWindowOpensAt,
  suspensionLapsesAt,
} from '../../src/notices/deadline-config';

describe('deadline config', () => {
  it('holds the durations of the domain reference', () => {
    expect(DEADLINE_CONFIG).toEqual({ validityYears: 5, renewalWindowMonths: 6, suspensionMaxMonths: 6, infoAnswerDays: 60 });
  });

  it('adds years, months and days in UTC keeping the time of day', () => {
    expect(addYears('2024-03-15T09:30:00Z', 5)).toBe('2029-03-15T09:30:00.000Z');
    expect(addMonths('2024-03-15T09:30:00.000Z', -6)).toBe('2023-09-15T09:30:00.000Z');
    expect(addMonths('2024-11-30T23:59:59.999Z', 3)).toBe('2025-02-28T23:59:59.999Z');
    expect(addDays('2024-03-15T09:30:00.000Z', 60)).toBe('2024-05-14T09:30:00.000Z');
  });

  it('clamps to the last day of a shorter month instead of spilling over', () => {
    expect(addMonths('2024-08-31T00:00:00.000Z', 6)).toBe('2025-02-28T00:00:00.000Z');
    expect(addYears('2024-02-29T12:00:00.000Z', 5)).toBe('2029-02-28T12:00:00.000Z');
    expect(addYears('2024-02-29T12:00:00.000Z', 4)).toBe('2028-02-29T12:00:00.000Z');
  });

  it('derives the lifecycle deadlines from the config', () => {
    expect(expiryFrom('2024-03-15T09:30:00.000Z')).toBe('2029-03-15T09:30:00.000Z');
    expect(renewalWindowOpensAt('2029-03-15T09:30:00.000Z')).toBe('2028-09-15T09:30:00.000Z');
    expect(suspensionLapsesAt('2025-01-10T00:00:00.000Z')).toBe('2025-07-10T00:00:00.000Z');
    expect(infoAnswerDueAt('2024-01-01T00:00:00.000Z')).toBe('2024-03-01T00:00:00.000Z');
    expect(expiryFrom('2024-03-15T09:30:00.000Z', { ...DEADLINE_CONFIG, validityYears: 1 })).toBe('2025-03-15T09:30:00.000Z');
  });

  it('normalizes timestamps and rejects what is not one', () => {
    expect(normalizeIso('2024-03-15T10:30:00+01:00')).toBe('2024-03-15T09:30:00.000Z');
    expect(() => addDays('not a date', 1)).toThrow(RangeError);
  });

  it('puts no deadline past the end of simulated time (year 9999)', () => {
    expect(expiryFrom('9996-03-01T00:00:00.000Z')).toBe('9999-12-31T23:59:59.000Z');
    expect(expiryFrom('9994-03-01T00:00:00.000Z')).toBe('9999-03-01T00:00:00.000Z');
  });
});
