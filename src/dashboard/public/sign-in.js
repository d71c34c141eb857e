// @ts-check
/** Signing in with a participant's token (kept for the browser tab's session), and out. */
import { showMessages } from './messages.js';
import { api } from './api.js';
import { startClock } from './clock.js';
import { loadCountries } from './countries.js';
import { $ } from './dom.js';
import { loadLabels } from './labels.js';
import { loadNotices } from './notice-list.js';
import { roleWords } from './people.js';
import { route } from './router.js';
import { openStream } from './stream.js';
import { TOKEN_KEY, state } from './state.js';

/**
 * Checks the token with the API, then draws the page for the participant and starts following the exercise.
 * With `home`, a facilitator starts on the console (after creating an exercise, or coming by a sign-in link).
 */
export async function signIn(/** @type {string} */ token, { home = false } = {}) {
  state.token = token;
  try {
    // Words before anything is drawn: labels, and the countries' names (a list that fails to load leaves codes).
    [state.me] = await Promise.all([api('/api/me'), loadLabels(), loadCountries().catch(() => undefined)]);
  } catch (error) {
    state.token = null;
    throw error;
  }
  sessionStorage.setItem(TOKEN_KEY, token);
  const me = /** @type {import('./state.js').Me} */ (state.me);
  // Who is signed in, in words: "Monaco fingerprints · National Central Bureau, France · NCB Paris".
  $('who').textContent =
    `${me.exercise.title ?? me.exercise.name} · ${roleWords(me)}` + (me.name ? ` · ${me.name}` : '');
  $('sign-out').hidden = false;
  $('nav-console').hidden = !(me.role === 'facilitator' || me.role === 'observer');
  $('nav-databases').hidden = false;
  $('nav-messages').hidden = false;
  if (home && me.role === 'facilitator') history.replaceState(null, '', '#/console');
  $('sign-in').hidden = true;
  await Promise.all([loadNotices(), startClock()]);
  // The whole exercise's figures are for the roles that see all of it.
  $('paths').hidden = me.role === 'ncb';
  $('request-actions').hidden = me.role !== 'ncb';
  $('report-actions').hidden = !(me.role === 'facilitator' || me.role === 'observer');
  openStream();
  route();
  void showMessages();
}

export function signOut() {
  sessionStorage.removeItem(TOKEN_KEY);
  location.hash = '#/';
  location.reload();
}
