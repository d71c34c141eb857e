import fc from 'fast-check';
import { DateTime } from 'luxon';
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
import { canonicalMillis, isoOfMillis, plusMonthsMillis } from '../../src/kernel/utc-calendar';

describe('deadline config', () => {
  it('holds the durations of the domain reference', () => {
    expect(DEADLINE_CONFIG).toEqual({
      validityYears: 5,
      renewalWindowMonths: 6,
      suspensionMaxMonths: 6,
      infoAnswerDays: 60,
    });
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
    expect(expiryFrom('2024-03-15T09:30:00.000Z', { ...DEADLINE_CONFIG, validityYears: 1 })).toBe(
      '2025-03-15T09:30:00.000Z',
    );
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

describe('timestamps in the stored form', () => {
  // The stored form is read without luxon's parser (canonicalMillis): it must agree with luxon on every string.
  const viaLuxon = (iso: string) => {
    const date = DateTime.fromISO(iso, { zone: 'utc' });
    return date.isValid ? date.plus({ years: 5 }).toJSDate().toISOString() : 'invalid';
  };
  const ours = (iso: string) => {
    try {
      return addYears(iso, 5);
    } catch {
      return 'invalid';
    }
  };

  it('writes every instant as toISOString does, the years outside 0-9999 included', () => {
    const instant = fc.oneof(
      fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }),
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
      // Simulated times carry fractions of a millisecond, which a Date drops.
      fc.double({ min: 0, max: Date.UTC(9999, 11, 31), noNaN: true }),
    );
    fc.assert(
      fc.property(instant, (ms) => {
        expect(isoOfMillis(ms)).toBe(new Date(ms).toISOString());
        expect(() => isoOfMillis(Number.NaN)).toThrow(RangeError);
      }),
      { numRuns: 2000 },
    );
  });

  it('reads every instant written by toISOString as luxon does', () => {
    fc.assert(
      fc.property(
        fc.date({
          min: new Date('0001-01-01T00:00:00.000Z'),
          max: new Date('9999-12-31T23:59:59.999Z'),
          noInvalidDate: true,
        }),
        (date) => {
          const iso = date.toISOString();
          expect(normalizeIso(iso)).toBe(iso);
          expect(ours(iso)).toBe(viaLuxon(iso));
        },
      ),
    );
  });

  it('agrees with luxon on strings of that shape that are no instant (30 February, hour 24)', () => {
    const digits = (n: number, max: number) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, '0'));
    const shaped = fc
      .tuple(digits(4, 9999), digits(2, 19), digits(2, 39), digits(2, 29), digits(2, 69), digits(2, 69), digits(3, 999))
      .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
    fc.assert(
      fc.property(shaped, (iso) => expect(ours(iso)).toBe(viaLuxon(iso))),
      { numRuns: 2000 },
    );
    for (const iso of ['2024-02-30T00:00:00.000Z', '2023-02-29T12:00:00.000Z', '2024-01-01T24:00:00.000Z']) {
      expect(ours(iso)).toBe(viaLuxon(iso));
    }
  });
});

describe('the stored form read and shifted by hand', () => {
  // The definition: the instant Date.parse reads, when toISOString writes it back the same, in its
  // 24 characters of the years 0-9999 (others go to luxon's parser).
  const reference = (iso: string) => {
    const ms = Date.parse(iso);
    return iso.length === 24 && !Number.isNaN(ms) && new Date(ms).toISOString() === iso ? ms : null;
  };
  const digits = (n: number, max: number) => fc.integer({ min: 0, max }).map((v) => String(v).padStart(n, '0'));
  const shaped = fc
    .tuple(digits(4, 9999), digits(2, 19), digits(2, 39), digits(2, 29), digits(2, 69), digits(2, 69), digits(3, 999))
    .map(([y, mo, d, h, mi, s, ms]) => `${y}-${mo}-${d}T${h}:${mi}:${s}.${ms}Z`);
  // One character of a valid timestamp replaced: a separator, a digit by a letter, the Z.
  const spoilt = fc
    .tuple(fc.date({ min: new Date(0), max: new Date('9999-12-31T23:59:59.999Z'), noInvalidDate: true }), fc.nat(23))
    .chain(([date, at]) =>
      fc.constantFrom('x', '-', ':', '.', ' ', '0', 'Z', 'T', '+').map((c) => {
        const iso = date.toISOString();
        return iso.slice(0, at) + c + iso.slice(at + 1);
      }),
    );

  it('reads a timestamp exactly when toISOString writes it back the same', () => {
    fc.assert(
      fc.property(fc.oneof(shaped, spoilt), (iso) => expect(canonicalMillis(iso)).toBe(reference(iso))),
      { numRuns: 5000 },
    );
    const cases = ['0000-01-01T00:00:00.000Z', '2024-02-29T23:59:59.999Z', '2023-02-29T00:00:00.000Z'];
    for (const iso of [...cases, '2024-01-01T00:00:00Z', '+012024-01-01T00:00:00.000Z', '']) {
      expect(canonicalMillis(iso)).toBe(reference(iso));
    }
  });

  it('shifts by whole months as Date objects do, fractions, the years before 0 and the edges of time included', () => {
    // What plusMonthsMillis was, with Date objects.
    const leap = (y: number) => (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
    const monthDays = (y: number, m: number) =>
      m === 1 ? (leap(y) ? 29 : 28) : [4, 6, 9, 11].includes(m + 1) ? 30 : 31;
    const viaDate = (ms: number, months: number) => {
      const date = new Date(ms);
      const monthIndex = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
      const year = Math.floor(monthIndex / 12);
      const month = monthIndex - year * 12;
      const midnight = new Date(Date.UTC(2000, month, Math.min(date.getUTCDate(), monthDays(year, month))));
      midnight.setUTCFullYear(year);
      return midnight.getTime() + (((ms % 86_400_000) + 86_400_000) % 86_400_000);
    };
    const instant = fc.oneof(
      fc.integer({ min: -8.64e15, max: 8.64e15 }),
      fc.double({ min: -8.64e15, max: 8.64e15, noNaN: true }),
      fc.double({ min: -2, max: 2, noNaN: true }),
    );
    fc.assert(
      fc.property(instant, fc.integer({ min: -3000, max: 3000 }), (ms, months) =>
        expect(plusMonthsMillis(ms, months)).toBe(viaDate(ms, months)),
      ),
      { numRuns: 5000 },
    );
    expect(plusMonthsMillis(8.64e15, 1)).toBeNaN();
    expect(plusMonthsMillis(Number.NaN, 1)).toBeNaN();
  });
});

describe('calendar arithmetic without luxon', () => {
  // addMonths/addYears/addDays compute with Date.UTC on the stored form: they must agree with luxon's plus().
  const instant = fc.date({
    min: new Date('0001-01-01T00:00:00.000Z'),
    max: new Date('9990-12-31T23:59:59.999Z'),
    noInvalidDate: true,
  });
  const luxonPlus = (iso: string, duration: { months?: number; years?: number; days?: number }) =>
    DateTime.fromISO(iso, { zone: 'utc' }).plus(duration).toJSDate().toISOString();

  it('adds whole months, years and days as luxon does, across leap years and month ends', () => {
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: -120, max: 120 }),
        fc.integer({ min: -4000, max: 4000 }),
        (date, n, days) => {
          const iso = date.toISOString();
          expect(addMonths(iso, n)).toBe(luxonPlus(iso, { months: n }));
          expect(addYears(iso, Math.trunc(n / 12))).toBe(luxonPlus(iso, { years: Math.trunc(n / 12) }));
          expect(addDays(iso, days)).toBe(luxonPlus(iso, { days }));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('clamps the last days of months in the years before 100 too', () => {
    for (const iso of ['0048-02-29T06:00:00.000Z', '0099-01-31T23:59:59.999Z', '0004-03-31T00:00:00.000Z']) {
      for (const n of [-13, -1, 1, 11, 12, 48]) expect(addMonths(iso, n)).toBe(luxonPlus(iso, { months: n }));
    }
  });
});
