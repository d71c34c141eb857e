// @ts-check
/**
 * Printing the token sheet. The server answers a whole HTML page; it is shown in a sandboxed frame of its own
 * (never in the dashboard's DOM: no script runs in it, and nothing in it can reach the page), then printed.
 */
import { api } from './api.js';
import { $ } from './dom.js';
import { html, nothing, render } from './lit.js';
import { me } from './state.js';

/** The frame's print dialog (a no-op where the browser has none, as headless ones). */
const printFrame = () =>
  /** @type {HTMLIFrameElement | null} */ (document.getElementById('sheet-frame'))?.contentWindow?.print();

/**
 * Issues fresh tokens for `ids` (every team when none) and shows the sheet, then its print dialog.
 * @param {string[]} ids
 * @returns {Promise<void>}
 */
export async function printSheet(ids) {
  const sheet = await api(`/api/exercises/${me().exercise.id}/token-sheet`, {
    method: 'POST',
    body: JSON.stringify(ids.length > 0 ? { participants: ids } : {}),
    text: true,
  });
  const close = () => render(nothing, $('console-sheet'));
  // A new sheet is a new frame, printed when it loads.
  close();
  const loaded = (/** @type {Event} */ e) => {
    // Printing once, when the sheet first loads; "Print again" is for a second copy.
    const frame = /** @type {HTMLIFrameElement} */ (e.target);
    if (frame.dataset.printed) return;
    frame.dataset.printed = 'yes';
    printFrame();
  };
  render(
    html`<section class="sheet pane" aria-labelledby="sheet-title">
      <h3 id="sheet-title">Token sheet</h3>
      <p>
        New sign-in links were issued for ${ids.length > 0 ? `the ${ids.length} ticked` : 'all the'} participants: the
        links they had before no longer work. The sheet is not kept: close it once it is printed.
      </p>
      <p class="buttons">
        <button type="button" id="sheet-print" @click=${printFrame}>Print again</button>
        <button type="button" id="sheet-close" @click=${close}>Close the sheet</button>
      </p>
      <iframe
        id="sheet-frame"
        title="Token sheet, as it prints"
        sandbox="allow-same-origin allow-modals"
        referrerpolicy="no-referrer"
        .srcdoc=${sheet}
        @load=${loaded}
      ></iframe>
    </section>`,
    $('console-sheet'),
  );
}
