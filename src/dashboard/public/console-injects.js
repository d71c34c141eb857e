// @ts-check
/**
 * The console's picture of the script: the scenario's injects (coming, failed with why, fired, skipped because
 * a team plays their part) and the next deadlines across the exercise's notices. Read-only, so observers see it.
 */
import { api } from './api.js';
import { countryName } from './countries.js';
import { $, messageOf } from './dom.js';
import { NO_NAME, when } from './format.js';
import { eventLabel, label, labelled } from './labels.js';
import { html, nothing, render } from './lit.js';
import { partName } from './people.js';
import { me } from './state.js';

/**
 * @typedef {{ id: string, number: number, description: string, note?: string, due: string,
 *   status: 'pending' | 'done' | 'failed' | 'skipped', firedAt: string | null,
 *   error: { code: string, message: string } | null, noticeId: string | null,
 *   participant: { role: string, country: string | null, name: string | null } }} Inject
 */
/**
 * @typedef {{ noticeId: string, noticeType: string, noticeState: string, subject: string | null, event: string,
 *   country: string | null, due: string }} Deadline
 */

/** The groups, in the order a facilitator looks at them: what comes next, then what went wrong. */
const GROUPS = /** @type {const} */ ([
  { status: 'pending', title: 'Coming', empty: 'No inject is still to come.' },
  { status: 'failed', title: 'Failed', empty: 'None failed.' },
  { status: 'done', title: 'Fired', empty: 'None has fired yet.' },
  { status: 'skipped', title: 'Skipped: played by a team', empty: 'None skipped: the script plays every part.' },
]);

const noticeLink = (/** @type {string | null} */ id, /** @type {unknown} */ text) =>
  id ? html`<a href="#/notices/${id}">${text}</a>` : text;

function injectRow(/** @type {Inject} */ i) {
  return html`<tr data-inject=${i.number}>
    <td>${i.number}</td>
    <td><time datetime=${i.due}>${when(i.due)}</time></td>
    <td>${partName(i.participant)}</td>
    <td>
      ${noticeLink(i.noticeId, i.description)} ${i.note ? html`<div class="note">${i.note}</div>` : nothing}
      ${
        i.error
          ? html`<div class="error">Why: ${i.error.message} <small class="code">${i.error.code}</small></div>`
          : nothing
      }
    </td>
  </tr>`;
}

function injectGroup(/** @type {Inject[]} */ injects, /** @type {(typeof GROUPS)[number]} */ group) {
  const items = injects.filter((i) => i.status === group.status);
  return html`<section class="inject-group" id="injects-${group.status}" aria-labelledby="injects-${group.status}-h">
    <h4 id="injects-${group.status}-h">${group.title} <span class="count">(${items.length})</span></h4>
    ${
      items.length === 0
        ? html`<p class="note">${group.empty}</p>`
        : html`<table>
            <thead>
              <tr>
                <th scope="col">No.</th>
                <th scope="col">Due (simulated)</th>
                <th scope="col">By</th>
                <th scope="col">What</th>
              </tr>
            </thead>
            <tbody>
              ${items.map(injectRow)}
            </tbody>
          </table>`
    }
  </section>`;
}

function deadlineRow(/** @type {Deadline} */ d) {
  return html`<tr>
    <td><time datetime=${d.due}>${when(d.due)}</time></td>
    <td>
      <a href="#/notices/${d.noticeId}">${d.subject ?? NO_NAME}</a>
      <div class="note">${label('noticeTypes', d.noticeType)} · ${label('noticeStates', d.noticeState)}</div>
    </td>
    <td>${labelled(eventLabel(d.event, 'action'), d.event)}</td>
    <td>${d.country ? countryName(d.country) : 'The notice itself'}</td>
  </tr>`;
}

function deadlineTable(/** @type {Deadline[]} */ items) {
  if (items.length === 0) return html`<p class="note">No deadline is running on any notice.</p>`;
  return html`<table>
    <thead>
      <tr>
        <th scope="col">Due (simulated)</th>
        <th scope="col">Notice</th>
        <th scope="col">What happens</th>
        <th scope="col">Record</th>
      </tr>
    </thead>
    <tbody>
      ${items.map(deadlineRow)}
    </tbody>
  </table>`;
}

/** Reads the injects and the deadlines again and redraws both. */
export async function refreshScript() {
  const id = me().exercise.id;
  const [injects, deadlines] = await Promise.allSettled([
    api(`/api/exercises/${id}/injects`),
    api(`/api/exercises/${id}/deadlines?limit=20`),
  ]);
  render(
    injects.status === 'fulfilled'
      ? injects.value.items.length === 0
        ? html`<p class="note">This exercise has no scripted injects.</p>`
        : GROUPS.map((g) => injectGroup(injects.value.items, g))
      : html`<p class="error">Could not load the injects: ${messageOf(injects.reason)}</p>`,
    $('console-injects'),
  );
  render(
    deadlines.status === 'fulfilled'
      ? deadlineTable(deadlines.value.items)
      : html`<p class="error">Could not load the deadlines: ${messageOf(deadlines.reason)}</p>`,
    $('console-deadlines'),
  );
}

/** @type {ReturnType<typeof setTimeout> | null} */
let timer = null;
/** Events come in bursts (a publication opens 195 records): one refresh once the burst is over. */
export function refreshScriptSoon() {
  if (timer) clearTimeout(timer);
  timer = setTimeout(() => void refreshScript(), 300);
}
