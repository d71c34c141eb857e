// @ts-check
/** How values read on the page: names, countries, and times (simulated first, wall time as secondary text). */
import { html, nothing } from './lit.js';

/** @typedef {import('./state.js').Notice} Notice */

export const NO_NAME = '(no name given)';

/** A timestamp to the minute: `2026-03-02 11:00Z`. */
export const when = (/** @type {string} */ iso) => iso.replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, 'Z');

/** The subject's family name and forename; either may be missing. */
export function noticeName(/** @type {Notice} */ n) {
  return [n.subject?.familyName, n.subject?.forename].filter(Boolean).join(' ') || NO_NAME;
}

const MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];

/** A date as people write it, on the exercise's clock (UTC): `12 March 2031`. */
export function dateWords(/** @type {string} */ iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** A moment to the minute: `12 March 2031, 09:00 UTC`. */
export function timeWords(/** @type {string} */ iso) {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${dateWords(iso)}, ${d.toISOString().slice(11, 16)} UTC`;
}

const UNITS = /** @type {const} */ ([
  ['year', 365.25 * 86_400_000],
  ['month', 30.44 * 86_400_000],
  ['day', 86_400_000],
  ['hour', 3_600_000],
  ['minute', 60_000],
]);
const relativeFormat = new Intl.RelativeTimeFormat('en', { numeric: 'auto' });

/** How far `iso` is from `now` (ms), in the largest unit it spans, to a tenth: "in 4.5 years", "3 days ago". */
export function fromNow(/** @type {string} */ iso, /** @type {number} */ now) {
  const delta = Date.parse(iso) - now;
  for (const [unit, ms] of UNITS) {
    if (Math.abs(delta) >= ms) return relativeFormat.format(Math.round((delta / ms) * 10) / 10, unit);
  }
  return 'now';
}

/**
 * A moment on screen: the simulated time first, the wall time (when known) as small secondary text.
 * @param {string} simulated @param {string | null} [wall]
 */
export function moment(simulated, wall) {
  return html`<time datetime=${simulated} title="simulated time">${timeWords(simulated)}</time>${
      wall ? html` <small class="wall" title="wall time">${`wall ${when(wall)}`}</small>` : nothing
    }`;
}

// Country names have one cache, the dashboard's (countries.js); the views that format take them from here too.
export { countryName, loadCountries } from './countries.js';
