// @ts-check
/** The databases page's lists: the hits the participant may see, latest first, and the persons. */
import { api } from './api.js';
import { $ } from './dom.js';
import { countryName, moment } from './format.js';
import { label } from './labels.js';
import { html, nothing, render } from './lit.js';
import { percent, who } from './record-words.js';
import { me } from './state.js';

/**
 * @typedef {{ id: string, score: number, kind: string, ownerCountry: string, noticeId?: string, personId?: string,
 *   searcher: { role: string, country?: string }, at: string, reportedAt?: string }} StoredHit
 */

const exercisePath = (/** @type {string} */ path) => `/api/exercises/${me().exercise.id}${path}`;

/** What a hit matched, a link to the notice for a notice's subject. */
const matched = (/** @type {StoredHit} */ h) =>
  h.noticeId
    ? html`<a href="#/notices/${h.noticeId}">${label('recordKinds', h.kind)}</a>`
    : label('recordKinds', h.kind);

export async function loadHits() {
  const { items } = await api(exercisePath('/hits?limit=1000'));
  const hits = /** @type {StoredHit[]} */ (items).reverse();
  render(
    hits.length
      ? html`<table data-testid="hit-list">
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Searched by</th>
              <th scope="col">What matched</th>
              <th scope="col">Held by</th>
              <th scope="col">Match</th>
              <th scope="col">Since</th>
            </tr>
          </thead>
          <tbody>
            ${hits.map(
              (h) =>
                html`<tr>
                  <td>${moment(h.at)}</td>
                  <td>${who(h.searcher)}</td>
                  <td>${matched(h)}</td>
                  <td>${countryName(h.ownerCountry)}</td>
                  <td>${percent(h.score)}</td>
                  <td>
                    ${h.reportedAt ? 'Reported on a circulation record' : nothing}
                    ${h.personId ? html`<a href="#/persons/${h.personId}">the person</a>` : nothing}
                  </td>
                </tr>`,
            )}
          </tbody>
        </table>`
      : html`<p>No hits yet.</p>`,
    $('hit-list'),
  );
}

export async function loadPersons() {
  const { items } = await api(exercisePath('/persons'));
  render(
    items.length
      ? html`<ul data-testid="person-list">
          ${items.map(
            (/** @type {{ id: string, label: string, createdBy: { role: string, country?: string } }} */ p) =>
              html`<li><a href="#/persons/${p.id}">${p.label}</a> <span class="note">(${who(p.createdBy)})</span></li>`,
          )}
        </ul>`
      : html`<p>No persons established yet.</p>`,
    $('person-list'),
  );
}
