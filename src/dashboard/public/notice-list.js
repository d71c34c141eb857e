// @ts-check
/** The list of the exercise's notices (route `#/`). */
import { api } from './api.js';
import { $ } from './dom.js';
import { countryName, loadCountries, moment, noticeName, when } from './format.js';
import { label, labelled } from './labels.js';
import { html, nothing, render, repeat } from './lit.js';
import { me, state } from './state.js';

/** @typedef {import('./state.js').Notice} Notice */

export async function loadNotices() {
  /** @type {Notice[]} */
  const all = [];
  await loadCountries();
  // Page by page: a simulation can hold thousands of notices.
  for (let offset = 0; ; offset += 1000) {
    const { items } = await api(`/api/exercises/${me().exercise.id}/notices?limit=1000&offset=${offset}`);
    all.push(...items);
    if (items.length < 1000) break;
  }
  state.notices = new Map(all.map((n) => [n.id, n]));
  renderNotices();
}

/** @type {ReturnType<typeof setTimeout> | null} */
let reloadTimer = null;
/** New notices come in bursts too: one reload once the burst is over. */
export function reloadNoticesSoon() {
  if (reloadTimer) clearTimeout(reloadTimer);
  reloadTimer = setTimeout(() => void loadNotices(), 300);
}

const row = (/** @type {Notice} */ n, /** @type {boolean} */ changed) =>
  html`<tr data-id=${n.id} class=${changed ? 'changed' : nothing}>
    <td><a href="#/notices/${n.id}">${noticeName(n)}</a></td>
    <td>${labelled(n.type === 'RED' ? 'Red' : 'Yellow', n.type)}</td>
    <td>${countryName(n.requestingCountry)}</td>
    <td>
      <span class="state" data-testid="state-${n.id}" data-state=${n.state}
        >${labelled(label('noticeStates', n.state), n.state)}</span
      >
    </td>
    <td data-testid="changed-${n.id}">
      ${n.lastEventAt ? moment(n.lastEventAt, n.updatedAt) : `wall ${when(n.updatedAt)}`}
    </td>
  </tr>`;

let changes = 0;
/** Draws the list; the row of the notice that `changed` flashes. */
export function renderNotices(/** @type {string | null} */ changed = null) {
  if (changed) changes += 1;
  const notices = [...state.notices.values()];
  // Rows are kept by notice; the changed one gets a key of its own, so it is a new row and its flash starts afresh.
  const key = (/** @type {Notice} */ n) => (n.id === changed ? `${n.id}#${changes}` : n.id);
  render(
    repeat(notices, key, (n) => row(n, n.id === changed)),
    $('notice-rows'),
  );
  $('no-notices').hidden = notices.length > 0;
}
