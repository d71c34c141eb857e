// @ts-check
/** The page's own elements (index.html), and its live region. */

/** An element of the page by id; they are all in index.html, so always there. */
export const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** Tells screen-reader users what changed, politely. */
export function announce(/** @type {string} */ text) {
  $('live').textContent = text;
}

/** An error's message, for the page's error lines. */
export const messageOf = (/** @type {unknown} */ error) => (error instanceof Error ? error.message : String(error));
