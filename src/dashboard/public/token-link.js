// @ts-check
/**
 * Sign-in links, `/#token=…`: the token rides in the URL fragment, which browsers never send to a server.
 * The dashboard takes it once at load, keeps it as a sign-in does, and wipes it from the address bar (and so
 * from the tab's history) before its own hash routing (`#/…`) runs.
 */
import { $ } from './dom.js';
import { html, nothing, render } from './lit.js';
import { TOKEN_KEY, state } from './state.js';

/** Takes `#token=…` from the address, if there is one; true when it did. Call before anything routes. */
export function takeTokenFromLink() {
  if (!location.hash.startsWith('#token=')) return false;
  const token = new URLSearchParams(location.hash.slice(1)).get('token')?.trim();
  history.replaceState(null, '', `${location.pathname}${location.search}#/`);
  if (!token) return false;
  sessionStorage.setItem(TOKEN_KEY, token);
  state.token = token;
  return true;
}

/** The sign-in link of a token on this dashboard, as the facilitator's browser reaches it. */
export const linkOf = (/** @type {string} */ token) =>
  `${location.origin}${location.pathname}#token=${encodeURIComponent(token)}`;

/**
 * Shows a sign-in link once, in a box that stays until it is closed: the link is not kept anywhere.
 * @param {{ title: string, link: string, advice: string }} what
 */
export function showLinkOnce({ title, link, advice }) {
  const copy = async () => {
    const done = /** @type {HTMLElement} */ ($('once-copied'));
    try {
      await navigator.clipboard.writeText(link);
      done.textContent = 'Copied.';
    } catch {
      // No clipboard (plain HTTP on a LAN, or refused): the link is selected for Ctrl+C instead.
      /** @type {HTMLInputElement} */ ($('once-link')).select();
      done.textContent = 'Selected: press Ctrl+C to copy.';
    }
  };
  const close = () => render(nothing, $('once'));
  render(
    html`<section class="once" role="alert" aria-labelledby="once-title">
      <h2 id="once-title">${title}</h2>
      <p>
        <label for="once-link">Sign-in link</label>
        <input
          id="once-link"
          readonly
          .value=${link}
          spellcheck="false"
          @focus=${(/** @type {FocusEvent} */ e) => /** @type {HTMLInputElement} */ (e.target).select()}
        />
        <button type="button" @click=${copy}>Copy the link</button>
        <span id="once-copied" class="note" aria-live="polite"></span>
      </p>
      <p>${advice}</p>
      <button type="button" id="once-close" @click=${close}>I have kept it: close</button>
    </section>`,
    $('once'),
  );
  $('once').scrollIntoView?.({ block: 'nearest' });
}
