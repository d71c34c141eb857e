// @ts-check
/**
 * What was requested, as the API lets the caller see it: the person, the offence or the disappearance,
 * judicial data, police report, extradition countries, declarations and the pending question; then the
 * compliance checks and the deadlines ahead. Only what is there is shown; every word comes from the labels.
 */
import { simulatedNow } from './clock.js';
import { countryName, dateWords, fromNow, moment, timeWords } from './format.js';
import { fieldLabel, label, labelled } from './labels.js';
import { html, nothing } from './lit.js';

/**
 * The notice as GET /api/notices/:id gives it (the parts this view reads; any may be missing).
 * @typedef {{ id: string, passed: boolean, blocking: boolean, message: string, missing: string[] }} Check
 * @typedef {{ event: string, at: string }} Deadline
 * @typedef {Record<string, any> & { checks?: Check[], deadlines?: Deadline[], expiresAt?: string | null,
 *   pendingQuestion?: string | null }} NoticeData
 */

/** @typedef {(value: any) => unknown} Show */

const text = /** @type {Show} */ ((v) => String(v));
const day = /** @type {Show} */ ((v) => dateWords(String(v)));
const yesNo = /** @type {Show} */ ((v) => (v ? 'Yes' : 'No'));
const countriesOf = /** @type {Show} */ ((v) => (Array.isArray(v) ? v.map(countryName).join(', ') : String(v)));
/** @param {import('./labels.js').LabelKind} kind @returns {Show} */
const coded = (kind) => (v) => labelled(label(kind, String(v)), String(v));

/** The sections of a request: a heading's field, and each row's dotted path with how its value reads. */
const SECTIONS = /** @type {[string, [string, Show][]][]} */ ([
  [
    'subject',
    [
      ['subject.familyName', text],
      ['subject.forename', text],
      ['subject.sex', coded('sexes')],
      ['subject.dateOfBirth', day],
      ['subject.yearOfBirth', text],
      ['subject.nationalities', countriesOf],
      ['subject.description', text],
      ['subject.photoRef', text],
      ['subject.fingerprintsRef', text],
      ['subject.dnaRef', text],
    ],
  ],
  [
    'offence',
    [
      ['offence.category', coded('offenceCategories')],
      ['offence.summary', text],
      ['offence.law', text],
      ['offence.basis', coded('offenceBases')],
      ['offence.maxPenaltyYears', text],
      ['offence.sentenceImposedMonths', text],
      ['offence.sentenceRemainingMonths', text],
      ['offence.linkedToSeriousOrOrganisedCrime', yesNo],
    ],
  ],
  [
    'offence.warrant',
    [
      ['offence.warrant.reference', text],
      ['offence.warrant.issuedOn', day],
      ['offence.warrant.authority', text],
    ],
  ],
  [
    'disappearance',
    [
      ['disappearance.date', day],
      ['disappearance.place', text],
      ['disappearance.country', countriesOf],
      ['disappearance.circumstances', text],
    ],
  ],
  [
    'disappearance.policeReport',
    [
      ['disappearance.policeReport.reference', text],
      ['disappearance.policeReport.date', day],
    ],
  ],
]);

/** Declarations and lists outside the sections, shown as one more section. */
const OTHERS = /** @type {[string, Show][]} */ ([
  ['extraditionFrom', countriesOf],
  ['article3Concern', yesNo],
  ['adultConsent', yesNo],
  ['publicExtractConsent', yesNo],
  ['recipients', countriesOf],
]);

/** The value at a dotted path, or undefined. */
const at = (/** @type {any} */ data, /** @type {string} */ path) =>
  path.split('.').reduce((v, key) => (v && typeof v === 'object' ? v[key] : undefined), data);

const present = (/** @type {unknown} */ v) =>
  v !== undefined && v !== null && v !== '' && !(Array.isArray(v) && v.length === 0);

/** One section's rows that have a value, as a definition list; nothing when none has. */
function section(/** @type {NoticeData} */ n, /** @type {string} */ heading, /** @type {[string, Show][]} */ rows) {
  const shown = rows.filter(([path]) => present(at(n, path)));
  if (!shown.length) return nothing;
  return html`<section class="request-part">
    <h4>${heading}</h4>
    <dl>
      ${shown.map(
        ([path, show]) =>
          html`<dt>${fieldLabel(path)}</dt>
            <dd data-field=${path}>${show(at(n, path))}</dd>`,
      )}
    </dl>
  </section>`;
}

/** The request's details as the caller may see them. */
export function requestView(/** @type {NoticeData} */ n) {
  const parts = SECTIONS.map(([heading, rows]) => section(n, fieldLabel(heading), rows));
  const question = n.pendingQuestion
    ? html`<section class="request-part question">
        <h4>${fieldLabel('question')}</h4>
        <p data-field="pendingQuestion" class="typed">${n.pendingQuestion}</p>
      </section>`
    : nothing;
  return html`${question}${addendaView(n)}${parts}${section(n, 'Declarations, extradition and circulation', OTHERS)}`;
}

/** What was added to the notice after publication: a country's refusal to extradite, with its basis. */
function addendaView(/** @type {NoticeData} */ n) {
  /** @type {{ kind: string, country: string, basis: string, reason: string, at: string }[]} */
  const addenda = n.addenda ?? [];
  if (!addenda.length) return nothing;
  return html`<section class="request-part addenda" data-testid="addenda">
    <h4>Added to the notice</h4>
    <ul>
      ${addenda.map(
        (a) =>
          html`<li>
            ${`${countryName(a.country)} refused extradition (${label('extraditionBases', a.basis)}), `}${moment(a.at)}:
            <span class="typed">${`“${a.reason}”`}</span>
          </li>`,
      )}
    </ul>
  </section>`;
}

/** One check: pass or fail, the rule's words, its message and the fields it found missing (the draft form's too). */
export function checkItem(/** @type {Check} */ c) {
  const missing = [...new Set(c.missing.map((path) => fieldLabel(path)))];
  return html`<li class=${c.passed ? 'pass' : 'fail'} data-testid=${`check-${c.id}`} data-passed=${String(c.passed)}>
    <span class="verdict">${c.passed ? '✓ Pass' : '✗ Fail'}</span>
    <strong>${labelled(label('checks', c.id), c.id)}</strong>${c.blocking && !c.passed ? ' (blocks publication)' : ''}
    <div class="note message" title=${c.message}>${c.message}</div>
    ${missing.length ? html`<div class="missing">${`Missing or wrong: ${missing.join(', ')}`}</div>` : nothing}
  </li>`;
}

/** The compliance checks with pass or fail, the rule's words, the check's message and what it found missing. */
export function checksView(/** @type {NoticeData} */ n) {
  const checks = n.checks ?? [];
  if (!checks.length) return html`<p class="note">The checks run when the request is submitted.</p>`;
  return html`<ul class="checks">
    ${checks.map(checkItem)}
  </ul>`;
}

const FINAL_STATES = ['refused', 'withdrawn', 'cancelled', 'expired', 'deleted'];

/** One deadline: "Renewal window opens 12 March 2031 (in 5 years)", simulated time, the exact minute on hover. */
const deadlineItem = (/** @type {string} */ words, /** @type {string} */ iso, /** @type {string} */ code) =>
  html`<li data-event=${code}>
    ${words}
    <time datetime=${iso} title=${timeWords(iso)}>${dateWords(iso)}</time>${` (${fromNow(iso, simulatedNow())})`}
  </li>`;

/**
 * The deadlines ahead (`nothing` when there is none): the notice's, its records' (where the API gives
 * them), and the expiry.
 * @param {NoticeData} n @param {{ country: string, deadline?: Deadline, deadlines?: Deadline[] }[]} records
 */
export function deadlinesView(n, records) {
  const own = (n.deadlines ?? []).map((d) => deadlineItem(label('deadlines', d.event), d.at, d.event));
  const ofRecords = records.flatMap((r) =>
    (r.deadlines ?? (r.deadline ? [r.deadline] : [])).map((d) =>
      deadlineItem(`${countryName(r.country)}’s record: ${label('deadlines', d.event)}`, d.at, d.event),
    ),
  );
  // An ended notice keeps its expiry date, but nothing is due any more.
  const expiresAt = n.expiresAt ?? null;
  const shown = expiresAt && !FINAL_STATES.includes(n.state) && !(n.deadlines ?? []).some((d) => d.event === 'EXPIRE');
  const expiry = shown ? [deadlineItem(label('deadlines', 'EXPIRE'), expiresAt, 'expiresAt')] : [];
  const items = [...own, ...ofRecords, ...expiry];
  return items.length
    ? html`<ul class="deadlines">
        ${items}
      </ul>`
    : nothing;
}
