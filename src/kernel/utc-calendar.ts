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
  if (iso.length !== 24 || !iso.endsWith('Z')) return null;
  const ms = Date.parse(iso);
  const millis = !Number.isNaN(ms) && isoOfMillis(ms) === iso ? ms : null;
  recent[1] = recent[0]!;
  recentMillis[1] = recentMillis[0]!;
  recent[0] = iso;
  recentMillis[0] = millis;
  return millis;
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
 * luxon's `plus({ months })` for whole numbers, by `Date.UTC` because luxon's objects were the first
 * cost of a simulated year (the simulation engine runs these once per event); property tests hold
 * the two equal (test/unit/deadline-config.test.ts, subject-age.test.ts).
 */
export function plusMonthsMillis(ms: number, months: number): number {
  const date = new Date(ms);
  const monthIndex = date.getUTCFullYear() * 12 + date.getUTCMonth() + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12;
  const day = Math.min(date.getUTCDate(), daysInMonth(year, month));
  // Date.UTC would read years 0-99 as 1900-1999; setUTCFullYear takes the year as it is.
  const midnight = new Date(Date.UTC(2000, month, day));
  midnight.setUTCFullYear(year);
  return midnight.getTime() + (((ms % DAY_MS) + DAY_MS) % DAY_MS);
}

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
