/** The General Secretariat's working time: the days and UTC hours its reviewers work (public holidays aside). */

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

export interface WorkingCalendar {
  /** ISO weekdays, 1 (Monday) to 7. */
  days: ReadonlySet<number>;
  startHour: number;
  endHour: number;
}

const dayStart = (t: number) => t - (((t % DAY) + DAY) % DAY);
const weekday = (t: number) => {
  const day = new Date(t).getUTCDay();
  return day === 0 ? 7 : day;
};

/** The instant itself when it falls in working time, else when working time next begins. */
export function nextWorkingTime(t: number, calendar: WorkingCalendar): number {
  for (let day = dayStart(t), i = 0; i < 8; day += DAY, i++) {
    if (!calendar.days.has(weekday(day))) continue;
    const open = day + calendar.startHour * HOUR;
    const close = day + calendar.endHour * HOUR;
    if (t < close) return Math.max(t, open);
  }
  throw new RangeError('a working calendar needs at least one working day');
}

/** The instant `duration` milliseconds of working time after `t`. */
export function addWorkingTime(t: number, duration: number, calendar: WorkingCalendar): number {
  let left = duration;
  let at = nextWorkingTime(t, calendar);
  for (;;) {
    const close = dayStart(at) + calendar.endHour * HOUR;
    if (at + left <= close) return at + left;
    left -= close - at;
    at = nextWorkingTime(close, calendar);
  }
}

/** Working time between two instants (whole days from `from`). */
export function workingTimeBetween(from: number, to: number, calendar: WorkingCalendar): number {
  let total = 0;
  for (let day = from; day < to; day += DAY) {
    const weekday = new Date(day).getUTCDay() || 7;
    if (calendar.days.has(weekday)) total += (calendar.endHour - calendar.startHour) * HOUR;
  }
  return total;
}
