// @ts-check
/**
 * The facilitator's console (route `#/console`): the briefing, the participants and their links, the script's
 * injects and the next deadlines, a reset. Observers see the briefing, the injects and the deadlines only.
 * It follows the exercise: the stream's events and the clock's actions refresh it (`exercise-changed`).
 */
import { ApiError, api } from './api.js';
import { readClock } from './clock.js';
import { askToConfirm } from './confirm-dialog.js';
import { refreshScript, refreshScriptSoon } from './console-injects.js';
import { refreshParticipants } from './console-participants.js';
import { showForecast } from './console-forecast.js';
import { $, announce, messageOf } from './dom.js';
import { when } from './format.js';
import { html, nothing, render } from './lit.js';
import { loadNotices } from './notice-list.js';
import { partName, roleWords } from './people.js';
import { openReport } from './report.js';
import { me } from './state.js';

/** Who may open the console: those who watch the whole exercise. */
export const watchesAll = () => me().role === 'facilitator' || me().role === 'observer';

/** @type {Promise<void> | null} the briefing does not change: read once a sign-in */
let briefing = null;

async function showBriefing() {
  try {
    const b = await api(`/api/exercises/${me().exercise.id}/briefing`);
    render(
      html`<h3>${b.title}</h3>
        ${b.start ? html`<p class="note">Starts ${when(b.start)} (simulated)</p>` : nothing}
        ${
          b.briefing ? html`<p class="pre">${b.briefing}</p>` : html`<p class="note">This exercise has no scenario.</p>`
        }
        ${
          b.participants.length > 0
            ? html`<p class="note">
                Parts:
                ${b.participants.map(
                  (/** @type {import('./people.js').Part} */ p, /** @type {number} */ i) =>
                    html`${i > 0 ? ' · ' : ''}${partName(p)}${p.name ? html` (${roleWords(p)})` : nothing}`,
                )}
              </p>`
            : nothing
        }`,
      $('console-briefing'),
    );
  } catch (error) {
    briefing = null;
    render(html`<p class="error">Could not load the briefing: ${messageOf(error)}</p>`, $('console-briefing'));
  }
}

async function reset() {
  const yes = await askToConfirm({
    title: 'Reset the exercise?',
    body: html`<p>
        <strong>Starts again:</strong> the clock goes back to the scenario's start and waits, paused; every scripted
        inject is pending again; the notice list starts empty, for a new run.
      </p>
      <p>
        <strong>Stays:</strong> every participant and their sign-in links (no new cards are needed), and the earlier
        run's notices and history, kept for the record and its debrief.
      </p>`,
    confirm: 'Reset and start again',
  });
  if (!yes) return;
  const out = $('reset-result');
  out.textContent = '';
  try {
    const { run, clock } = await api(`/api/exercises/${me().exercise.id}/reset`, { method: 'POST', body: '{}' });
    const number = typeof run === 'number' ? run : run?.number;
    const which = number ? `run ${number}` : 'a new run';
    out.textContent = `Reset: ${which} starts at ${when(clock.now)} (simulated), paused.`;
    announce(out.textContent);
    await Promise.all([readClock(), loadNotices(), refreshScript()]);
  } catch (error) {
    out.textContent =
      error instanceof ApiError && error.status === 404 && error.code !== 'EXERCISE_NOT_FOUND'
        ? 'This server cannot reset exercises yet.'
        : `The reset failed: ${messageOf(error)}`;
  }
}

/** Draws the console for the signed-in facilitator or observer. */
export async function showConsole() {
  const facilitator = me().role === 'facilitator';
  $('console-people').hidden = !facilitator;
  // The debrief is for both; only the facilitator resets.
  const debrief = () => void openReport().catch((error) => announce(`The report failed: ${messageOf(error)}`));
  render(
    html`<button type="button" id="console-report" @click=${debrief}>Open the debrief report</button> ${
        facilitator
          ? html`<button type="button" id="reset-exercise" @click=${reset}>Reset the exercise</button>
              <output id="reset-result"></output>`
          : nothing
      }`,
    $('console-reset'),
  );
  showForecast();
  briefing ??= showBriefing();
  await Promise.all([briefing, refreshScript(), facilitator ? refreshParticipants() : undefined]);
}

// The stream's events and the clock's actions: the script's panel follows while it is on screen.
document.addEventListener('exercise-changed', () => {
  if (!$('console').hidden) refreshScriptSoon();
});
