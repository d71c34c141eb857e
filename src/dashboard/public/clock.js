// @ts-check
/** The exercise's simulated clock in the header, and the facilitator's controls for it. */
import { api } from './api.js';
import { $, announce, messageOf } from './dom.js';
import { html, nothing, render } from './lit.js';
import { me } from './state.js';

/**
 * What the server said and when: the display runs on from it between reads.
 * @type {{ now: number, at: number, running: boolean, speed: number, freezeWhilePaused: boolean } | null}
 */
let clock = null;
/**
 * The facilitator's controls, drawn after the display (once, with the speed then); nothing for anyone else.
 * @type {unknown}
 */
let controls = nothing;
/** What the facilitator's last clock action did, in words: shown until the next one. */
let result = '';

const keep = (/** @type {{ now: string, running: boolean, speed: number, freezeWhilePaused: boolean }} */ c) => {
  clock = {
    now: Date.parse(c.now),
    at: Date.now(),
    running: c.running,
    speed: c.speed,
    freezeWhilePaused: c.freezeWhilePaused,
  };
};

/** Shows a clock the server sent along with something else (a reset's). */
export function showClock(
  /** @type {{ now: string, running: boolean, speed: number, freezeWhilePaused: boolean }} */ c,
) {
  keep(c);
  drawClock();
}

/** Reads the clock from the server again (after a reset, or an action refused because it is paused) and redraws it. */
export async function readClock() {
  keep(await api(`/api/exercises/${me().exercise.id}/clock`));
  drawClock();
}

export async function startClock() {
  await readClock();
  setInterval(() => void readClock().catch(() => undefined), 10_000);
  setInterval(drawClock, 1000);
  if (me().role === 'facilitator') {
    controls = clockControls(clock?.speed ?? 1);
    drawClock();
  }
}

/** The exercise's simulated now (ms), run on from the last read; the wall clock's before the first. */
export function simulatedNow() {
  if (!clock) return Date.now();
  return clock.running ? clock.now + (Date.now() - clock.at) * clock.speed : clock.now;
}

function drawClock() {
  if (!clock) return;
  const now = simulatedNow();
  const shown = new Date(Math.min(now, 253402300799000)).toISOString().slice(0, 16).replace('T', ' ');
  const text = `${shown}Z ${clock.running ? `▶ ×${clock.speed}` : '❚❚'}`;
  render(
    html`<span>Simulated <output id="clock-now">${text}</output></span
      >${pausedNote(clock)}${controls}${shownResult()}`,
    $('clock'),
  );
}

/** The last action's result, beside the controls (for the facilitator only, who has them). */
const shownResult = () =>
  controls === nothing ? nothing : html`<output id="clock-result" class="clock-result">${result}</output>`;

/**
 * @typedef {{ action: 'pause' | 'resume' } | { action: 'advance', by: string }
 *   | { action: 'set_speed', speed: number }} ClockAction
 */

const count = (/** @type {number} */ n, /** @type {string} */ one) => `${n} ${one}${n === 1 ? '' : 's'}`;

/** "P1DT2H" in words: "1 day 2 hours" (the ISO duration itself when it does not read as one). */
export function durationWords(/** @type {string} */ iso) {
  const m =
    /^P(?:([\d.]+)Y)?(?:([\d.]+)M)?(?:([\d.]+)W)?(?:([\d.]+)D)?(?:T(?:([\d.]+)H)?(?:([\d.]+)M)?(?:([\d.]+)S)?)?$/.exec(
      iso,
    );
  if (!m) return iso;
  const units = ['year', 'month', 'week', 'day', 'hour', 'minute', 'second'];
  const words = units.flatMap((unit, i) => (m[i + 1] ? [count(Number(m[i + 1]), unit)] : []));
  return words.join(' ') || 'no time';
}

/** What a clock action did, as the facilitator reads it: "Advanced 2 hours: 1 inject and 0 deadlines fired". */
function resultWords(
  /** @type {ClockAction} */ body,
  /** @type {{ deadlinesFired: number, injectsFired: number, speed: number }} */ c,
) {
  const fired = `${count(c.injectsFired, 'inject')} and ${count(c.deadlinesFired, 'deadline')} fired`;
  const quiet = c.injectsFired + c.deadlinesFired === 0;
  if (body.action === 'advance') return `Advanced ${durationWords(body.by)}: ${fired}`;
  if (body.action === 'pause') return quiet ? 'Paused' : `Paused: ${fired}`;
  if (body.action === 'resume') return `Running at ×${c.speed}${quiet ? '' : `: ${fired}`}`;
  return `Speed set to ×${c.speed}${quiet ? '' : `: ${fired}`}`;
}

/** While paused, says so in words, and whether the teams wait (the server refuses their actions) or play on. */
function pausedNote(/** @type {{ running: boolean, freezeWhilePaused: boolean }} */ c) {
  if (c.running) return nothing;
  const after = c.freezeWhilePaused ? 'actions wait until the clock runs again' : 'teams may still act';
  return html`<span id="clock-paused" role="status"
    ><strong>Paused by the facilitator</strong> <span class="note">(${after})</span></span
  >`;
}

async function act(/** @type {ClockAction} */ body) {
  $('clock-error').textContent = '';
  result = '';
  drawClock();
  try {
    const c = await api(`/api/exercises/${me().exercise.id}/clock`, { method: 'POST', body: JSON.stringify(body) });
    keep(c);
    result = resultWords(body, c);
    drawClock();
    announce(result);
    // The console's injects and deadlines move with the clock, whether or not a notice changed.
    document.dispatchEvent(new CustomEvent('exercise-changed'));
  } catch (error) {
    $('clock-error').textContent = messageOf(error);
  }
}

/** Pause, resume, advance by an ISO duration, set the speed (starting from `speed`, the clock's own). */
function clockControls(/** @type {number} */ speed) {
  const value = (/** @type {string} */ id) => /** @type {HTMLInputElement} */ ($(id)).value;
  const advance = (/** @type {SubmitEvent} */ e) => {
    e.preventDefault();
    void act({ action: 'advance', by: value('advance-by').trim() });
  };
  const setSpeed = (/** @type {SubmitEvent} */ e) => {
    e.preventDefault();
    void act({ action: 'set_speed', speed: Number(value('speed')) });
  };
  const pause = () => void act({ action: 'pause' });
  const resume = () => void act({ action: 'resume' });
  return html`<button type="button" data-action="pause" @click=${pause}>Pause</button
    ><button type="button" data-action="resume" @click=${resume}>Resume</button>
    <form id="advance-form" @submit=${advance}>
      <label for="advance-by">Advance by</label>
      <input id="advance-by" value="P1D" size="6" aria-describedby="clock-error" />
      <button type="submit">Advance</button>
    </form>
    <form id="speed-form" @submit=${setSpeed}>
      <label for="speed">Speed</label>
      <input
        id="speed"
        type="number"
        min="0.001"
        max="31536000"
        step="any"
        value=${speed}
        size="7"
        aria-describedby="clock-error"
      />
      <button type="submit">Set</button>
    </form>
    <span id="clock-error" class="error" role="alert"></span>`;
}
