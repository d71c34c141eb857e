// @ts-check
/**
 * The Simulations page (on the start page, for whoever runs the server): choose a model, the years,
 * replications and seed, and what-if changes in words (reviewers, working hours); start; watch the
 * replications finish; open the report. With the server's ADMIN_TOKEN when it has one, as for the list
 * of exercises. Progress is read every two seconds (an EventSource cannot send the token).
 */
import { ApiError, api } from './api.js';
import { $, messageOf } from './dom.js';
import { when } from './format.js';
import { html, nothing, render } from './lit.js';

/**
 * @typedef {{ id: string, status: 'queued' | 'running' | 'done' | 'failed', model: string, years: number,
 *   replications: number, seed: number, progress: { done: number, total: number }, error: string | null,
 *   createdAt: string, result: null | { figures: Record<string, Figure> } }} Simulation
 * @typedef {{ mean: number, ci95: [number, number] }} Figure
 */

const page = {
  adminNeeded: false,
  /** @type {unknown} */ error: nothing,
  /** @type {Simulation | null} */ current: null,
  /** @type {Simulation[]} */ earlier: [],
  /** @type {ReturnType<typeof setTimeout> | undefined} */ timer: undefined,
};

const adminHeaders = () => {
  const admin = /** @type {HTMLInputElement | null} */ ($('simulation-admin-token'))?.value.trim();
  return admin ? { authorization: `Bearer ${admin}` } : undefined;
};

/** Figures shown on the page, in words; the report has them all. */
const SHOWN = [
  ['redIssued', 'Red notices issued'],
  ['yellowIssued', 'Yellow notices issued'],
  ['redValidAtEnd', 'Valid Red notices at the end'],
  ['reviewDaysMean', 'Days in review, mean'],
  ['reviewDaysP95', 'Days in review, 95th percentile'],
  ['gsBacklogMean', 'Requests in review, on average'],
  ['gsUtilisation', 'Reviewers’ utilisation'],
];

const number = (/** @type {string} */ name, /** @type {number} */ v) =>
  name === 'gsUtilisation'
    ? `${(v * 100).toFixed(1)} %`
    : v.toLocaleString('en-GB', {
        maximumFractionDigits: name.startsWith('review') || name === 'gsBacklogMean' ? 1 : 0,
      });

async function loadEarlier() {
  try {
    page.earlier = (await api('/api/simulations', { headers: adminHeaders() })).items;
    page.error = nothing;
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) page.adminNeeded = true;
    else page.error = messageOf(error);
  }
  draw();
}

async function follow(/** @type {string} */ id) {
  clearTimeout(page.timer);
  try {
    page.current = await api(`/api/simulations/${id}`, { headers: adminHeaders() });
  } catch (error) {
    page.error = messageOf(error);
  }
  draw();
  if (page.current && (page.current.status === 'queued' || page.current.status === 'running')) {
    page.timer = setTimeout(() => void follow(id), 2000);
  } else {
    void loadEarlier();
  }
}

async function start(/** @type {SubmitEvent} */ e) {
  e.preventDefault();
  const form = /** @type {HTMLFormElement} */ (e.target);
  const data = new FormData(form);
  const value = (/** @type {string} */ name) => Number(data.get(name));
  /** @type {Record<string, unknown>} */
  const review = {};
  if (data.get('reviewers')) review.reviewers = value('reviewers');
  const body = {
    model: String(data.get('model')),
    years: value('years'),
    replications: value('replications'),
    seed: value('seed'),
    ...(Object.keys(review).length && { overrides: { review } }),
  };
  page.error = nothing;
  try {
    const { id } = await api('/api/simulations', {
      method: 'POST',
      body: JSON.stringify(body),
      headers: adminHeaders(),
    });
    await follow(id);
  } catch (error) {
    if (error instanceof ApiError && error.status === 401) {
      page.error = page.adminNeeded ? 'That is not this server’s administrator token.' : nothing;
      page.adminNeeded = true;
    } else {
      page.error = messageOf(error);
    }
    draw();
  }
}

async function openReport(/** @type {string} */ id) {
  const report = await api(`/api/simulations/${id}/report`, { text: true, headers: adminHeaders() });
  const url = URL.createObjectURL(new Blob([report], { type: 'text/html' }));
  window.open(url, '_blank', 'noopener');
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function progress(/** @type {Simulation} */ s) {
  const words = {
    queued: 'Waiting for the simulation before it to finish.',
    running: `Running: ${s.progress.done} of ${s.progress.total} replications done.`,
    done: `Done: ${s.progress.total} replications.`,
    failed: `Failed: ${s.error ?? 'unknown error'}`,
  }[s.status];
  return html`<div id="simulation-progress" aria-live="polite">
    <progress max=${s.progress.total} value=${s.progress.done}></progress>
    <span id="simulation-status">${words}</span>
    ${
      s.status === 'done'
        ? html`<button type="button" id="open-simulation-report" @click=${() => void openReport(s.id)}>
            Open the report
          </button>`
        : nothing
    }
  </div>`;
}

function figures(/** @type {Simulation} */ s) {
  if (!s.result) return nothing;
  const f = s.result.figures;
  return html`<table id="simulation-figures">
    <caption>
      The simulated year (mean of the replications, 95 % interval)
    </caption>
    <tbody>
      ${SHOWN.map(
        ([name, words]) =>
          html`<tr>
            <th scope="row">${words}</th>
            <td>${number(name, f[name].mean)}</td>
            <td class="note">${number(name, Math.max(0, f[name].ci95[0]))} – ${number(name, f[name].ci95[1])}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

function draw() {
  const s = page.current;
  render(
    html`<form id="simulation-form" @submit=${start}>
        <p>
          A seeded simulation of the whole notice system, warm-up from an empty system in 2009 included, with the same
          rules as the exercises. Change the number of reviewers to ask “what if review capacity drops by a fifth?”.
          Each replication takes about half a minute.
        </p>
        <label
          >Model
          <select name="model">
            <option value="interpol-2024">INTERPOL 2024 (calibrated)</option>
          </select></label
        >
        <label>Years <input name="years" type="number" min="1" max="5" value="1" required /></label>
        <label>Replications <input name="replications" type="number" min="1" max="100" value="20" required /></label>
        <label>Seed <input name="seed" type="number" min="0" value="42" required /></label>
        <label
          >Reviewers at the General Secretariat
          <input name="reviewers" type="number" min="1" max="1000" placeholder="52 (the model’s)"
        /></label>
        ${
          page.adminNeeded
            ? html`<label
                >This server's administrator token
                <input id="simulation-admin-token" type="password" autocomplete="off" spellcheck="false" required
              /></label>`
            : nothing
        }
        <button type="submit" ?disabled=${s?.status === 'queued' || s?.status === 'running'}>
          Start the simulation
        </button>
      </form>
      <p class="error" role="alert">${page.error}</p>
      ${s ? html`${progress(s)}${figures(s)}` : nothing}
      ${
        page.earlier.length
          ? html`<table id="simulation-list">
              <caption>
                Earlier simulations
              </caption>
              <thead>
                <tr>
                  <th scope="col">Started</th>
                  <th scope="col">Model</th>
                  <th scope="col">Replications</th>
                  <th scope="col">Seed</th>
                  <th scope="col">Status</th>
                </tr>
              </thead>
              <tbody>
                ${page.earlier.map(
                  (x) =>
                    html`<tr>
                      <td>${when(x.createdAt)}</td>
                      <td>${x.model}</td>
                      <td>${x.replications}</td>
                      <td>${x.seed}</td>
                      <td><button type="button" class="link" @click=${() => void follow(x.id)}>${x.status}</button></td>
                    </tr>`,
                )}
              </tbody>
            </table>`
          : nothing
      }`,
    $('simulations-body'),
  );
}

/** Draws the page when its section is first opened. */
export function initSimulations() {
  const section = /** @type {HTMLDetailsElement} */ ($('simulations'));
  section.addEventListener('toggle', () => {
    if (!section.open) return;
    draw();
    void loadEarlier();
  });
}
