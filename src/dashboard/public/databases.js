// @ts-check
/**
 * The databases page (`#/databases`): a team searches INTERPOL's databases in words (a person's name,
 * a fingerprint mark, a DNA profile, a travel document, a vehicle), sees what hit with what the record
 * says, reports a hit on a notice on its own circulation record, and establishes a person from a hit.
 * Below: the hits the participant may see and the persons. `#/persons/<id>` shows one person.
 */
import { api } from './api.js';
import { $, announce, messageOf } from './dom.js';
import { countryList } from './countries.js';
import { loadHits, loadPersons } from './database-lists.js';
import { countryName } from './format.js';
import { label } from './labels.js';
import { html, nothing, render } from './lit.js';
import { percent, recordWords } from './record-words.js';
import { me } from './state.js';

/**
 * @typedef {{ id: string, score: number, kind: string, ownerCountry: string, recordId?: string,
 *   noticeId?: string, personId?: string }} Hit
 */
/** @typedef {import('./record-words.js').DbRecord} DbRecord */

/** What a search looks with, in words, and the fields each takes. */
const SEARCH_KINDS = /** @type {const} */ ([
  ['name', 'A person’s name and date of birth'],
  ['fingerprints', 'A fingerprint mark or set'],
  ['dna', 'A DNA profile'],
  ['document', 'A travel document'],
  ['vin', 'A vehicle, by its identification number (VIN)'],
  ['plate', 'A vehicle, by its registration plate'],
]);

/** @typedef {{ name: string, words: string, type?: 'date' | 'country', optional?: boolean }} Field */
/** @type {Record<string, Field[]>} */
const FIELDS = {
  name: [
    { name: 'familyName', words: 'Family name' },
    { name: 'forename', words: 'Forename' },
    { name: 'dateOfBirth', words: 'Date of birth', type: 'date', optional: true },
  ],
  fingerprints: [{ name: 'template', words: 'Print set or mark (its reference)' }],
  dna: [{ name: 'profile', words: 'DNA profile' }],
  document: [
    { name: 'documentNumber', words: 'Document number' },
    { name: 'issuingCountry', words: 'Issuing country', type: 'country' },
  ],
  vin: [{ name: 'vin', words: 'Vehicle identification number (17 characters)' }],
  plate: [
    { name: 'plate', words: 'Registration plate' },
    { name: 'registrationCountry', words: 'Registration country', type: 'country' },
  ],
};

const exercisePath = (/** @type {string} */ path) => `/api/exercises/${me().exercise.id}${path}`;
const searches = () => ['ncb', 'gs', 'ccf'].includes(me().role);

let kind = 'name';

function searchForm() {
  const countries = countryList();
  const input = (/** @type {Field} */ f) => {
    const id = `search-${f.name}`;
    const control =
      f.type === 'country'
        ? html`<select id=${id} name=${f.name} required>
            ${countries.map(([code, name]) => html`<option value=${code}>${name}</option>`)}
          </select>`
        : html`<input id=${id} name=${f.name} type=${f.type ?? 'text'} ?required=${!f.optional} autocomplete="off" />`;
    return html`<p>
      <label for=${id}>${f.words}${f.optional ? html` <span class="note">(optional)</span>` : nothing}</label>
      ${control}
    </p>`;
  };
  return html`<form id="search" @submit=${onSearch}>
    <p>
      <label for="search-kind">Search with</label>
      <select id="search-kind" name="kind" @change=${onKind}>
        ${SEARCH_KINDS.map(
          ([value, words]) => html`<option value=${value} ?selected=${value === kind}>${words}</option>`,
        )}
      </select>
    </p>
    ${FIELDS[kind]?.map(input)}
    <button type="submit">Search</button>
    <p id="search-error" class="error" role="alert"></p>
  </form>`;
}

function onKind(/** @type {Event} */ e) {
  kind = /** @type {HTMLSelectElement} */ (e.target).value;
  render(searchForm(), $('search-form'));
}

async function onSearch(/** @type {SubmitEvent} */ e) {
  e.preventDefault();
  const form = /** @type {HTMLFormElement} */ (e.target);
  const body = Object.fromEntries(
    [...new FormData(form)]
      .filter(([, v]) => typeof v === 'string' && v.trim() !== '')
      .map(([k, v]) => [k, String(v).trim()]),
  );
  $('search-error').textContent = '';
  try {
    const result = await api(exercisePath('/searches'), { method: 'POST', body: JSON.stringify(body) });
    const hits = /** @type {Hit[]} */ (result.hits);
    const records = await Promise.all(
      hits.map((h) => (h.recordId ? api(`/api/records/${h.recordId}`).catch(() => null) : Promise.resolve(null))),
    );
    render(resultsView(hits, records), $('search-results'));
    announce(hits.length ? `${hits.length} hit(s)` : 'No hit');
    void loadHits();
  } catch (error) {
    $('search-error').textContent = messageOf(error);
  }
}

/** What a hit's record says, or the way to its notice. */
const whatItSays = (/** @type {Hit} */ h, /** @type {DbRecord | null} */ record) =>
  h.noticeId ? html`<a href="#/notices/${h.noticeId}">Open the notice</a>` : record ? recordWords(record) : '';

/** @param {Hit[]} hits @param {(DbRecord | null)[]} records */
function resultsView(hits, records) {
  if (!hits.length)
    return html`<p data-testid="no-hit">No hit: nothing the databases hold that you may see matches.</p>`;
  return html`<table data-testid="search-hits">
    <caption>
      Hits, best first
    </caption>
    <thead>
      <tr>
        <th scope="col">Match</th>
        <th scope="col">What matched</th>
        <th scope="col">Held by</th>
        <th scope="col">What it says</th>
        <th scope="col">Act</th>
      </tr>
    </thead>
    <tbody>
      ${hits.map(
        (h, i) =>
          html`<tr data-hit=${h.id}>
            <td>${percent(h.score)}</td>
            <td>${label('recordKinds', h.kind)}</td>
            <td>${countryName(h.ownerCountry)}</td>
            <td>${whatItSays(h, records[i] ?? null)}</td>
            <td>${hitActions(h)}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** What a hit lets its searcher do: report it on its record (a notice's), open or establish its person. */
function hitActions(/** @type {Hit} */ h) {
  const mine = me().role === 'ncb';
  return html`${
    h.noticeId && mine
      ? html`<form class="inline" data-testid="report-hit" @submit=${(/** @type {SubmitEvent} */ e) => reportHit(e, h)}>
          <label for="details-${h.id}">What happened</label>
          <input id="details-${h.id}" name="details" required />
          <button type="submit">Report this hit on your record</button>
        </form>`
      : nothing
  }
  ${
    h.personId
      ? html`<a href="#/persons/${h.personId}">Open the person</a>`
      : searches() && me().role !== 'ccf'
        ? html`<form
            class="inline"
            data-testid="establish"
            @submit=${(/** @type {SubmitEvent} */ e) => establish(e, h)}
          >
            <label for="label-${h.id}">Who it is</label>
            <input id="label-${h.id}" name="label" required />
            <label for="reason-${h.id}">Why</label>
            <input id="reason-${h.id}" name="reason" required />
            <button type="submit">Establish the person</button>
          </form>`
        : nothing
  }`;
}

async function reportHit(/** @type {SubmitEvent} */ e, /** @type {Hit} */ h) {
  e.preventDefault();
  const details = String(new FormData(/** @type {HTMLFormElement} */ (e.target)).get('details') ?? '').trim();
  try {
    await api(`/api/notices/${h.noticeId}/circulation/${me().country}/events`, {
      method: 'POST',
      body: JSON.stringify({ type: 'REPORT_HIT', details, hitId: h.id }),
    });
    announce('Hit reported on your record');
    location.hash = `#/notices/${h.noticeId}`;
  } catch (error) {
    $('search-error').textContent = messageOf(error);
  }
}

async function establish(/** @type {SubmitEvent} */ e, /** @type {Hit} */ h) {
  e.preventDefault();
  const data = new FormData(/** @type {HTMLFormElement} */ (e.target));
  const body = {
    label: String(data.get('label')).trim(),
    reason: String(data.get('reason')).trim(),
    links: [{ hitId: h.id }],
  };
  try {
    const person = await api(exercisePath('/persons'), {
      method: 'POST',
      body: JSON.stringify(body),
      once: `person-${h.id}`,
    });
    location.hash = `#/persons/${person.id}`;
  } catch (error) {
    $('search-error').textContent = messageOf(error);
  }
}

export async function showDatabases() {
  $('databases-search').hidden = !searches();
  if (searches()) render(searchForm(), $('search-form'));
  try {
    await Promise.all([loadHits(), loadPersons()]);
  } catch (error) {
    render(html`<p class="error">${messageOf(error)}</p>`, $('hit-list'));
  }
}
