// @ts-check
/** How values read on the page. */

/** @typedef {import('./state.js').Notice} Notice */

export const NO_NAME = '(no name given)';

/** A timestamp to the minute: `2026-03-02 11:00Z`. */
export const when = (/** @type {string} */ iso) => iso.replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, 'Z');

/** The subject's family name and forename; either may be missing. */
export function noticeName(/** @type {Notice} */ n) {
  return [n.subject?.familyName, n.subject?.forename].filter(Boolean).join(' ') || NO_NAME;
}
