// @ts-check
/** A person (`#/persons/<id>`): what is linked to it that the participant may see, and how it was established. */
import { api } from './api.js';
import { $, messageOf } from './dom.js';
import { countryName, moment } from './format.js';
import { label } from './labels.js';
import { html, render } from './lit.js';
import { recordWords, who } from './record-words.js';
import { me } from './state.js';

/** @typedef {import('./record-words.js').DbRecord} DbRecord */
/** @typedef {import('./database-lists.js').StoredHit} StoredHit */
/** @typedef {{ id: string, type: string, state: string, requestingCountry: string }} LinkedNotice */
/** @typedef {{ type: string, reason: string, actor: { role: string, country?: string }, at: string }} PersonEvent */

const noticeItem = (/** @type {LinkedNotice} */ n) =>
  html`<li>
    <a href="#/notices/${n.id}">${n.type === 'RED' ? 'Red' : 'Yellow'} notice of ${countryName(n.requestingCountry)}</a
    >: ${label('noticeStates', n.state)}
  </li>`;

const hitWords = (/** @type {StoredHit} */ h) =>
  `${who(h.searcher)} found ${label('recordKinds', h.kind).toLowerCase()}`;

const EVENT_WORDS = /** @type {Record<string, string>} */ ({
  CREATE: 'Established',
  LINK: 'Linked',
  UNLINK: 'Unlinked',
});

export async function showPerson(/** @type {string} */ id) {
  try {
    const p = await api(`/api/exercises/${me().exercise.id}/persons/${id}`);
    render(
      html`<h2 id="person-title" tabindex="-1">${p.label}</h2>
        <p class="note">Established by ${who(p.createdBy)}, ${moment(p.at)}</p>
        <section class="pane">
          <h3>Records</h3>
          <ul data-testid="person-records">
            ${p.records.map(
              (/** @type {DbRecord} */ r) =>
                html`<li>
                  ${label('recordKinds', r.kind)}, held by ${countryName(r.ownerCountry)}: ${recordWords(r)}
                </li>`,
            )}
          </ul>
        </section>
        <section class="pane">
          <h3>Notices</h3>
          ${
            p.notices.length
              ? html`<ul>
                  ${p.notices.map(noticeItem)}
                </ul>`
              : html`<p>None.</p>`
          }
        </section>
        <section class="pane">
          <h3>Hits</h3>
          <p>${p.hits.length} hit(s) linked: ${p.hits.map(hitWords).join('; ')}</p>
        </section>
        <section class="pane">
          <h3>How the identity was established</h3>
          <ol>
            ${p.history.map(
              (/** @type {PersonEvent} */ e) =>
                html`<li>${EVENT_WORDS[e.type] ?? e.type} by ${who(e.actor)}, ${moment(e.at)}: ${e.reason}</li>`,
            )}
          </ol>
        </section>`,
      $('person-view'),
    );
  } catch (error) {
    render(html`<p class="error">${messageOf(error)}</p>`, $('person-view'));
  }
}
