// @ts-check
/**
 * The console's Forecast panel (facilitator and observers): how today's notices are likely to stand after
 * a horizon, from the world simulation's rates (`POST /api/exercises/:id/forecasts`), each figure with its
 * 95 % interval beside today's.
 */
import { api } from './api.js';
import { $, messageOf } from './dom.js';
import { html, nothing, render } from './lit.js';
import { me } from './state.js';

/** @typedef {{ mean: number, ci95: [number, number], values: number[] }} Figure */

const panel = {
  /** @type {string | null} */ status: null,
  /** @type {Record<string, Figure> | null} */ figures: null,
  /** @type {unknown} */ error: nothing,
  horizon: 'P90D',
};

/** Today's figure, then the forecast one, in words. */
const ROWS = [
  ['Valid Red notices', 'redValidAtStart', 'redValidAtEnd'],
  ['Valid Yellow notices', 'yellowValidAtStart', 'yellowValidAtEnd'],
  ['Requests in review', null, 'gsBacklogAtEnd'],
  ['Red notices issued by then', null, 'redIssued'],
  ['Requests refused by then', null, 'redRefused'],
  ['Hits reported by then', null, 'noticeHits'],
  ['Missing persons located by then', null, 'yellowLocated'],
];

const HORIZONS = [
  ['P30D', '30 days'],
  ['P90D', '90 days'],
  ['P1Y', 'one year'],
];

const one = (/** @type {number} */ v) => v.toLocaleString('en-GB', { maximumFractionDigits: 1 });

async function forecast(/** @type {SubmitEvent} */ e) {
  e.preventDefault();
  const data = new FormData(/** @type {HTMLFormElement} */ (e.target));
  panel.horizon = String(data.get('horizon'));
  panel.status = 'queued';
  panel.figures = null;
  panel.error = nothing;
  draw();
  try {
    const exercise = me().exercise.id;
    const body = { horizon: panel.horizon, replications: 20, seed: 42 };
    const { id } = await api(`/api/exercises/${exercise}/forecasts`, { method: 'POST', body: JSON.stringify(body) });
    for (;;) {
      const f = await api(`/api/exercises/${exercise}/forecasts/${id}`);
      panel.status = f.status;
      if (f.status === 'done') panel.figures = f.result.figures;
      if (f.status === 'failed') panel.error = f.error;
      if (f.status === 'done' || f.status === 'failed') break;
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
  } catch (error) {
    panel.status = null;
    panel.error = messageOf(error);
  }
  draw();
}

function table(/** @type {Record<string, Figure>} */ f) {
  const words = HORIZONS.find(([h]) => h === panel.horizon)?.[1] ?? panel.horizon;
  return html`<table id="forecast-figures">
    <thead>
      <tr>
        <th scope="col"></th>
        <th scope="col">Today</th>
        <th scope="col">In ${words} (95 % interval)</th>
      </tr>
    </thead>
    <tbody>
      ${ROWS.map(
        ([label, today, later]) =>
          html`<tr>
            <th scope="row">${label}</th>
            <td>${today ? f[today].mean : ''}</td>
            <td>
              ${one(f[/** @type {string} */ (later)].mean)}
              <span class="note"
                >${one(Math.max(0, f[/** @type {string} */ (later)].ci95[0]))} –
                ${one(f[/** @type {string} */ (later)].ci95[1])}</span
              >
            </td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

const option = (/** @type {string} */ value, /** @type {string} */ words) =>
  html`<option value=${value} ?selected=${value === panel.horizon}>${words}</option>`;

function draw() {
  render(
    html`<form id="forecast-form" class="inline" @submit=${forecast}>
        <label
          >Horizon
          <select name="horizon">
            ${HORIZONS.map(([value, words]) => option(value, words))}
          </select>
        </label>
        <button type="submit" ?disabled=${panel.status === 'queued' || panel.status === 'running'}>Forecast</button>
      </form>
      <p class="note">
        Twenty simulated futures of today’s notices at INTERPOL’s rates (model interpol-2024); no new request arrives.
      </p>
      ${
        panel.status && panel.status !== 'done' && panel.status !== 'failed'
          ? html`<p id="forecast-status" aria-live="polite">Simulating…</p>`
          : nothing
      }
      ${panel.figures ? table(panel.figures) : nothing}
      <p class="error" role="alert">${panel.error}</p>`,
    $('console-forecast'),
  );
}

export function showForecast() {
  draw();
}
