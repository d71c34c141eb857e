// @ts-check
/** The exercise's simulated clock in the header, and the facilitator's controls for it. */
import { api } from './api.js';
import { $, announce, messageOf } from './dom.js';
import { html, nothing, render } from './lit.js';
import { me } from './state.js';

/**
 * What the server said and when: the display runs on from it between reads.
 * @type {{ now: number, at: number, running: boolean, speed: number } | null}
 */
let clock = null;
/**
 * The facilitator's controls, drawn after the display (once, with the speed then); nothing for anyone else.
 * @type {unknown}
 */
let controls = nothing;

const keep = (/** @type {{ now: string, running: boolean, speed: number }} */ c) => {
  clock = { now: Date.parse(c.now), at: Date.now(), running: c.running, speed: c.speed };
};

export async function startClock() {
  const read = async () => {
    keep(await api(`/api/exercises/${me().exercise.id}/clock`));
    drawClock();
  };
  await read();
  setInterval(() => void read().catch(() => undefined), 10_000);
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
      >${controls}`,
    $('clock'),
  );
}

async function act(/** @type {object} */ body) {
  $('clock-error').textContent = '';
  try {
    const c = await api(`/api/exercises/${me().exercise.id}/clock`, { method: 'POST', body: JSON.stringify(body) });
    keep(c);
    drawClock();
    announce(`Clock ${c.now}: ${c.deadlinesFired} deadlines and ${c.injectsFired} injects fired`);
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
      <input id="speed" type="number" min="1" step="any" value=${speed} size="7" aria-describedby="clock-error" />
      <button type="submit">Set</button>
    </form>
    <span id="clock-error" class="error" role="alert"></span>`;
}
