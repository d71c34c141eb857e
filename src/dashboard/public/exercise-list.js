// @ts-check
/**
 * The exercises on this server (`GET /api/exercises`), for whoever runs it: with the server's ADMIN_TOKEN when
 * it has one. Tokens are never listed: this says what exists, signing in still takes a participant's link.
 */
import { ApiError, api } from './api.js';
import { $, messageOf } from './dom.js';
import { when } from './format.js';
import { html, nothing, render } from './lit.js';

/**
 * @typedef {{ id: string, name: string, title: string | null, createdAt: string, participants: number,
 *   notices: number, clock: { now: string, running: boolean } }} ExerciseSummary
 */

const list = {
  /** @type {ExerciseSummary[] | null} */ items: null,
  adminNeeded: false,
  /** @type {unknown} */ error: nothing,
};

async function load(/** @type {SubmitEvent | null} */ e) {
  e?.preventDefault();
  const admin = /** @type {HTMLInputElement | null} */ ($('list-admin-token'))?.value.trim();
  list.error = nothing;
  try {
    list.items = (await api('/api/exercises', admin ? { headers: { authorization: `Bearer ${admin}` } } : {})).items;
  } catch (error) {
    list.items = null;
    if (error instanceof ApiError && error.status === 401) {
      list.error = list.adminNeeded ? 'That is not this server’s administrator token.' : nothing;
      list.adminNeeded = true;
    } else {
      list.error = messageOf(error);
    }
  }
  draw();
}

const row = (/** @type {ExerciseSummary} */ x) =>
  html`<tr>
    <td>${x.title ?? x.name}${x.title && x.title !== x.name ? html`<div class="note">${x.name}</div>` : nothing}</td>
    <td>${when(x.createdAt)}</td>
    <td>${when(x.clock.now)} ${x.clock.running ? 'running' : 'paused'}</td>
    <td>${x.participants}</td>
    <td>${x.notices}</td>
  </tr>`;

function draw() {
  render(
    html`${
        list.adminNeeded
          ? html`<form id="list-form" class="inline" @submit=${load}>
              <label for="list-admin-token">This server's administrator token</label>
              <input id="list-admin-token" type="password" autocomplete="off" spellcheck="false" required />
              <button type="submit">Show the exercises</button>
            </form>`
          : nothing
      }
      ${
        list.items
          ? list.items.length === 0
            ? html`<p class="note">No exercise yet.</p>`
            : html`<table>
                <thead>
                  <tr>
                    <th scope="col">Exercise</th>
                    <th scope="col">Created</th>
                    <th scope="col">Simulated clock</th>
                    <th scope="col">Participants</th>
                    <th scope="col">Notices</th>
                  </tr>
                </thead>
                <tbody>
                  ${list.items.map(row)}
                </tbody>
              </table>`
          : nothing
      }
      <p class="error" role="alert">${list.error}</p>`,
    $('exercise-list-body'),
  );
}

/** Loads the list when its section is first opened. */
export function initExerciseList() {
  const section = /** @type {HTMLDetailsElement} */ ($('exercise-list'));
  section.addEventListener('toggle', () => {
    if (section.open && !list.items && !list.adminNeeded) void load(null);
  });
}
