/** Calendar arithmetic in UTC on epoch milliseconds, for the hot paths that luxon's objects made slow. */

/**
 * The milliseconds of a timestamp in `toISOString()`'s own form, the one the machines store, or null:
 * read without luxon's general parser, which took a tenth of a publication's CPU in the profile
 * (bench/README.md). Exact: only a string that the instant writes back the same is taken.
 */
export function canonicalMillis(iso: string): number | null {
  // An event's rules read the same two or three instants over and over (its time, the notice's expiry): the
  // last two read are kept.
  if (iso === recent[0]) return recentMillis[0]!;
  if (iso === recent[1]) return recentMillis[1]!;
  const millis = parseCanonical(iso);
  recent[1] = recent[0]!;
  recentMillis[1] = recentMillis[0]!;
  recent[0] = iso;
  recentMillis[0] = millis;
  return millis;
}

/** `YYYY-MM-DDTHH:mm:ss.sssZ` read by hand, every field in its range (as `toISOString` writes it), or null. */
function parseCanonical(iso: string): number | null {
  if (iso.length !== 24 || iso.charCodeAt(23) !== Z || iso.charCodeAt(10) !== T || iso.charCodeAt(19) !== DOT)
    return null;
  if (iso.charCodeAt(4) !== DASH || iso.charCodeAt(7) !== DASH) return null;
  if (iso.charCodeAt(13) !== COLON || iso.charCodeAt(16) !== COLON) return null;
  const year = digits(iso, 0, 4);
  const month = digits(iso, 5, 2);
  const day = digits(iso, 8, 2);
  const hours = digits(iso, 11, 2);
  const minutes = digits(iso, 14, 2);
  const seconds = digits(iso, 17, 2);
  const millis = digits(iso, 20, 3);
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month - 1)) return null;
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59 || millis < 0) {
    return null;
  }
  return daysFromCivil(year, month, day) * DAY_MS + hours * 3_600_000 + minutes * 60_000 + seconds * 1000 + millis;
}

const [DASH, COLON, DOT, T, Z] = ['-', ':', '.', 'T', 'Z'].map((char) => char.charCodeAt(0)) as [
  number,
  number,
  number,
  number,
  number,
];

/** The decimal number of `count` digits from `from`, or -1 if one of them is not a digit. */
function digits(text: string, from: number, count: number): number {
  let value = 0;
  for (let i = from; i < from + count; i++) {
    const digit = text.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1-12): Howard Hinnant's `days_from_civil`. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The date of a day since 1970-01-01 (month 1-12): Hinnant's `civil_from_days`, the inverse of the above. */
function civilFromDays(days: number): { year: number; month: number; day: number } {
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shifted = Math.floor((5 * dayOfYear + 2) / 153);
  const month = shifted < 10 ? shifted + 3 : shifted - 9;
  return {
    year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0),
    month,
    day: dayOfYear - Math.floor((153 * shifted + 2) / 5) + 1,
  };
}

const recent: [string, string] = ['', ''];
const recentMillis: [number | null, number | null] = [null, null];

export const DAY_MS = 86_400_000;

/** `YYYY-MM-DDT` of the days `isoOfMillis` wrote, by the day's number; emptied when it grows past a limit. */
const prefixes = new Map<number, string>();
const PREFIXES_KEPT = 20_000;
const LAST_FOUR_DIGIT_YEAR_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);
const two = (n: number) => (n < 10 ? `0${n}` : `${n}`);
const three = (n: number) => (n < 10 ? `00${n}` : n < 100 ? `0${n}` : `${n}`);

/**
 * `new Date(ms).toISOString()`, five to eight times faster: the date part is kept per day (a simulation's
 * events fall on the same days over and over) and the time written by hand. That call
 * was the simulation's largest single cost after the garbage collector; a property test holds the two
 * equal. Years outside 0-9999, which `toISOString` writes with six digits and a sign, go to it, as does
 * what is no time (NaN, which it refuses).
 */
export function isoOfMillis(time: number): string {
  if (!(time >= 0 && time <= LAST_FOUR_DIGIT_YEAR_MS)) return new Date(time).toISOString();
  // A Date drops a fraction of a millisecond (simulated times have them), as here.
  const ms = Math.trunc(time);
  // Kept by the day's number, a small integer, which a Map finds faster than a timestamp.
  const day = Math.floor(ms / DAY_MS);
  let prefix = prefixes.get(day);
  if (prefix === undefined) {
    if (prefixes.size >= PREFIXES_KEPT) prefixes.clear();
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    prefixes.set(day, prefix);
  }
  let rest = ms - day * DAY_MS;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = Math.floor(rest / 1000);
  return `${prefix}${two(hours)}:${two(minutes)}:${two(seconds)}.${three(rest - seconds * 1000)}Z`;
}

/**
 * Whole calendar months added to an instant in UTC, the day clamped to the last of a shorter month:
 * luxon's `plus({ months })` for whole numbers, in integer day arithmetic because luxon's objects, and
 * then Date objects, were among the first costs of a simulated year (the simulation engine runs these
 * once per event); property tests hold the two equal (test/unit/deadline-config.test.ts, subject-age.test.ts).
 */
export function plusMonthsMillis(ms: number, months: number): number {
  // What a Date holds: whole milliseconds (truncated), within ±8.64e15; beyond, no time at all.
  const whole = Math.trunc(ms);
  if (!(Math.abs(whole) <= MAX_DATE_MS)) return Number.NaN;
  const date = civilFromDays(Math.floor(whole / DAY_MS));
  const monthIndex = date.year * 12 + date.month - 1 + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const day = Math.min(date.day, daysInMonth(year, month));
  const midnight = daysFromCivil(year, month + 1, day) * DAY_MS;
  if (!(Math.abs(midnight) <= MAX_DATE_MS)) return Number.NaN;
  return midnight + (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}

const MAX_DATE_MS = 8.64e15;

const MONTH_DAYS: readonly number[] = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month !== 1) return MONTH_DAYS[month] ?? 31;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return leap ? 29 : 28;
}

/**
 * Whole years from `fromMs` to `toMs` (both midnights, `toMs` not before `fromMs`), as luxon's
 * `diff(..., 'years')` floors them: the largest n with `fromMs` plus n calendar years (29 February
 * clamped to the 28th) not after `toMs`.
 */
export function wholeYearsBetween(fromMs: number, toMs: number): number {
  let years = new Date(toMs).getUTCFullYear() - new Date(fromMs).getUTCFullYear();
  if (years > 0 && plusMonthsMillis(fromMs, 12 * years) > toMs) years -= 1;
  return years;
}
