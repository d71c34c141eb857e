// @ts-check
/**
 * The dashboard: sign in with a participant token, follow the exercise's notices, open one to see its
 * state diagram, its history and a world map of its circulation, all updated live from the exercise's
 * event stream. Plain browser JavaScript modules (checked by tsc), libraries served by the app itself;
 * data reaches the page through lit-html's templates (lit.js), which escape it.
 *
 * This entry wires the page's controls to the views: sign-in.js (with token-link.js and create-exercise.js),
 * console.js (the facilitator's), notice-list.js, notice-page.js
 * (with act-forms.js, diagram.js, circulation-map.js), heatmap.js, report.js, clock.js, stream.js.
 */
import { ApiError } from './api.js';
import { showRunExercise } from './create-exercise.js';
import { initExerciseList } from './exercise-list.js';
import { initSimulations } from './simulations.js';
import { initDiagrams } from './diagram.js';
import { $, messageOf } from './dom.js';
import { showHeatmap } from './heatmap.js';
import { showNotice } from './notice-page.js';
import { openReport } from './report.js';
import { route } from './router.js';
import { signIn, signOut } from './sign-in.js';
import { TOKEN_KEY, state } from './state.js';
import { takeTokenFromLink } from './token-link.js';

const signInProblem = (/** @type {unknown} */ error) =>
  error instanceof ApiError && error.status === 401 ? 'That token is unknown or revoked.' : messageOf(error);

function init() {
  // A sign-in link's token leaves the address bar before anything routes on the hash.
  const byLink = takeTokenFromLink();
  initDiagrams();
  initExerciseList();
  initSimulations();
  $('notice-title').tabIndex = -1;
  $('sign-out').addEventListener('click', signOut);
  $('sign-in-form').addEventListener('submit', (e) => {
    e.preventDefault();
    $('sign-in-error').textContent = '';
    const input = /** @type {HTMLInputElement} */ ($('token'));
    signIn(input.value.trim()).catch((error) => {
      $('sign-in-error').textContent = signInProblem(error);
    });
  });
  window.addEventListener('hashchange', route);
  $('full-labels').addEventListener('change', () => state.current && void showNotice(state.current));
  $('heat-machine').addEventListener('change', () => void showHeatmap());
  $('open-report').addEventListener('click', () => void openReport());
  if (state.token) {
    signIn(state.token, { home: byLink }).catch((error) => {
      sessionStorage.removeItem(TOKEN_KEY);
      $('sign-in').hidden = false;
      if (byLink) $('sign-in-error').textContent = signInProblem(error);
      void showRunExercise();
    });
  } else {
    $('sign-in').hidden = false;
    $('token').focus();
    void showRunExercise();
  }
}

if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', init);
else init();
