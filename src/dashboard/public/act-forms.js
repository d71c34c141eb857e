// @ts-check
/**
 * Acting on a notice: a form per event the participant may send, built from the API's own schemas
 * (the OpenAPI document's `NoticeEvent` and `CirculationEvent`), so the dashboard asks for exactly
 * what the API wants.
 */
import { ApiError, api } from './api.js';
import { readClock } from './clock.js';
import { $, messageOf } from './dom.js';
import { countryName, timeWords } from './format.js';
import { eventLabel, fieldLabel, label, labelled } from './labels.js';
import { html, nothing, render, repeat } from './lit.js';
import { me } from './state.js';

/** @typedef {import('./state.js').NoticeDetail} NoticeDetail */
/** @typedef {import('./state.js').CirculationRecord} CirculationRecord */
/** @typedef {{ type?: string, enum?: string[], items?: { enum?: string[] } }} FieldSchema */
/** @typedef {{ properties?: Record<string, FieldSchema>, required?: string[] }} EventSchema */
/**
 * A transition of the circulation machine, as `/api/machines/circulation` gives it.
 * @typedef {{ source: string, event: string, roles: string[], guards: { type: string, params?: any }[] }} Transition
 */
/** @typedef {(event: SubmitEvent) => void} OnSubmit */
/**
 * What events there are and what they take, for notices and for circulation records.
 * @typedef {{ notice: EventSchema[], circulation: EventSchema[], machine: { transitions: Transition[] } }} Vocabulary
 */

/** @type {Promise<Vocabulary> | null} */
let vocabulary = null;
/** Fetched once: the OpenAPI document and the circulation machine. */
function loadVocabulary() {
  vocabulary ??= Promise.all([
    fetch('/api/openapi.json').then((r) => r.json()),
    fetch('/api/machines/circulation').then((r) => r.json()),
  ]).then(([doc, machine]) => ({
    notice: doc.components.schemas.NoticeEvent.oneOf,
    circulation: doc.components.schemas.CirculationEvent.oneOf,
    machine,
  }));
  return vocabulary;
}

/** Field names whose choices have words of their own in the catalogue. */
const CHOICE_KINDS = /** @type {Record<string, import('./labels.js').LabelKind>} */ ({
  grounds: 'refusalGrounds',
  basis: 'extraditionBases',
  convention: 'conventions',
});

/**
 * One field of an event's body, labelled from the catalogue with its code as small text: a checkbox for a
 * boolean, a text box for a string, a checkbox per choice for a list of choices (the grounds of a refusal).
 * @param {string} fieldId @param {string} name @param {FieldSchema} schema @param {boolean} required
 */
function field(fieldId, name, schema, required) {
  const optional = required ? nothing : html` <span class="note">(optional)</span>`;
  const words = html`${labelled(fieldLabel(name), name)}${optional}`;
  if (schema.type === 'array') {
    const kind = CHOICE_KINDS[name];
    const choices = (schema.items?.enum ?? []).map(
      (value) =>
        html`<label
          ><input type="checkbox" name=${name} value=${value} /> ${
            kind ? labelled(label(kind, value), value) : value
          }</label
        >`,
    );
    return html`<fieldset class="choices" data-list=${name} id=${fieldId}>
      <legend>${words}</legend>
      ${choices}
    </fieldset>`;
  }
  if (schema.type === 'string' && schema.enum) {
    const kind = CHOICE_KINDS[name];
    return html`<label class="text" for=${fieldId}>${words}</label>
      <select id=${fieldId} name=${name} ?required=${required}>
        ${required ? nothing : html`<option value="">—</option>`}
        ${schema.enum.map((value) => html`<option value=${value}>${kind ? label(kind, value) : value}</option>`)}
      </select>`;
  }
  if (schema.type === 'boolean') {
    return html`<label class="box"><input type="checkbox" id=${fieldId} name=${name} /> ${words}</label>`;
  }
  return html`<label class="text" for=${fieldId}>${words}</label>
    <textarea id=${fieldId} name=${name} rows="1" ?required=${required}></textarea>`;
}

/** Whether the dashboard can ask for a field: text, a yes/no, or a list of choices. */
const askable = (/** @type {FieldSchema} */ p) =>
  p.type === 'string' || p.type === 'boolean' || (p.type === 'array' && !!p.items?.enum);

/**
 * The form for one event, from its body schema among `variants`: the button says what it does.
 * @param {string} type @param {EventSchema[]} variants @param {string} id @param {OnSubmit} onSubmit
 */
function eventForm(type, variants, id, onSubmit) {
  const schema = variants.find((v) => v.properties?.type?.enum?.[0] === type);
  const required = new Set(schema?.required ?? []);
  const fields = Object.entries(schema?.properties ?? {})
    .filter(([name, p]) => name !== 'type' && askable(p))
    .map(([name, p]) => field(`${id}-${name}`, name, p, required.has(name)));
  return html`<form data-event=${type} id=${id} @submit=${onSubmit} aria-describedby=${`${id}-error`}>
    <fieldset>
      <legend>${labelled(eventLabel(type, 'action'), type)}</legend>
      ${fields}
      <div class="send">
        <button type="submit">${eventLabel(type, 'action')}</button>
        <p class="error" id=${`${id}-error`} role="alert"></p>
      </div>
    </fieldset>
  </form>`;
}

/** The event a form describes: its type, its checkboxes, and the text fields filled in. */
function bodyOf(/** @type {HTMLFormElement} */ form) {
  /** @type {Record<string, unknown>} */
  const body = { type: form.dataset.event };
  for (const input of form.querySelectorAll('input, textarea, select')) {
    const el = /** @type {HTMLInputElement} */ (input);
    if (el.closest('[data-list]')) {
      const list = /** @type {string[]} */ (body[el.name] ??= []);
      if (el.checked) list.push(el.value);
    } else if (el.type === 'checkbox') body[el.name] = el.checked;
    else if (el.value.trim()) body[el.name] = el.value.trim();
  }
  return body;
}

/** The body fields an API error names: a 400's `details[].field` (`body.reason`), CHECKS_FAILED's `details.fields`. */
export function fieldsNamed(/** @type {unknown} */ error) {
  const details = error instanceof ApiError ? /** @type {any} */ (error.details) : undefined;
  const named = Array.isArray(details)
    ? details.flatMap((d) => String(d?.field ?? '').split(', '))
    : Array.isArray(details?.fields)
      ? details.fields.map(String)
      : [];
  return named.map((/** @type {string} */ f) => f.replace(/^body\./, '').split('.')[0]).filter(Boolean);
}

/** Shows the API's refusal beside the form and marks the fields it names; `null` clears them. */
function showError(/** @type {HTMLFormElement} */ form, /** @type {unknown} */ error) {
  for (const marked of form.querySelectorAll('[aria-invalid]')) marked.removeAttribute('aria-invalid');
  for (const marked of form.querySelectorAll('.invalid')) marked.classList.remove('invalid');
  const line = form.querySelector('.send .error');
  if (line) line.textContent = error === null ? '' : messageOf(error);
  if (error === null) return;
  for (const name of fieldsNamed(error)) {
    const list = form.querySelector(`[data-list="${CSS.escape(name)}"]`);
    const input = form.querySelector(`[name="${CSS.escape(name)}"]`);
    const target = list ?? input;
    if (!target) continue;
    target.setAttribute('aria-invalid', 'true');
    (list ?? input?.closest('label') ?? input)?.classList.add('invalid');
    input?.classList.add('invalid');
  }
}

/**
 * The events an ncb's record takes from its state: the circulation machine's, for ncbs and this notice type.
 * @param {Transition[]} transitions @param {CirculationRecord} own @param {string} noticeType
 */
function recordEvents(transitions, own, noticeType) {
  const typeGuard = (/** @type {Transition} */ t) => t.guards.find((g) => g.type === 'noticeTypeIs');
  return transitions
    .filter((t) => t.source === own.state && t.roles.some((r) => r.startsWith('ncb')))
    .filter((t) => !typeGuard(t) || typeGuard(t)?.params.type === noticeType)
    .map((t) => t.event);
}

const stateWords = (/** @type {CirculationRecord} */ r) => labelled(label('circulationStates', r.state), r.state);
const dueWords = (/** @type {CirculationRecord} */ r) =>
  r.deadline ? ` · ${label('deadlines', r.deadline.event)}: ${timeWords(r.deadline.at)}` : '';

/**
 * The requester's events on other countries' records (the formal extradition request after an arrest).
 * @param {Transition[]} transitions @param {CirculationRecord[]} records @param {string} noticeType
 */
function requesterEvents(transitions, records, noticeType) {
  const typeGuard = (/** @type {Transition} */ t) => t.guards.find((g) => g.type === 'noticeTypeIs');
  return records.flatMap((r) =>
    transitions
      .filter((t) => t.source === r.state && t.roles.includes('ncb (requester)'))
      .filter((t) => !typeGuard(t) || typeGuard(t)?.params.type === noticeType)
      .map((t) => ({ record: r, type: t.event })),
  );
}

/**
 * Draws the forms for the notice's events and, for an ncb, its own record's; `refresh` redraws the page
 * once one is sent.
 * @param {NoticeDetail} notice @param {CirculationRecord[]} records @param {() => Promise<unknown>} refresh
 */
export async function renderActions(notice, records, refresh) {
  const { notice: noticeVariants, circulation: recordVariants, machine } = await loadVocabulary();
  // An ncb acts on its own country's record.
  const own = me().role === 'ncb' ? records.find((r) => r.country === me().country) : undefined;
  const onRecord = own ? recordEvents(machine.transitions, own, notice.type) : [];

  /** @param {string} path @param {number | undefined} version @returns {OnSubmit} */
  const sender = (path, version) => (e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.currentTarget);
    showError(form, null);
    // If-Match: the version this page shows, so acting on a stale view is refused, not misapplied.
    api(path, { method: 'POST', body: JSON.stringify(bodyOf(form)), headers: { 'if-match': String(version) } })
      .then(() => {
        form.reset();
        return refresh();
      })
      .catch((error) => {
        // The API's own words ("The exercise is paused by the facilitator: …"); the clock then shows the pause.
        showError(form, error);
        if (error instanceof ApiError && error.code === 'EXERCISE_PAUSED') void readClock().catch(() => undefined);
      });
  };
  const toNotice = sender(`/api/notices/${notice.id}/events`, notice.version);
  // A draft is edited in the request form ("Edit draft", request-form.js), not in a form of its own here.
  const events = notice.allowedEvents.filter((type) => type !== 'UPDATE_DRAFT');
  // Forms are kept by notice and event, so what is typed in one survives the live redraws.
  render(
    repeat(
      events,
      (type) => `${notice.id} ${type}`,
      (type) => eventForm(type, noticeVariants, `act-${type}`, toNotice),
    ),
    $('act-notice'),
  );
  const toRecord = sender(`/api/notices/${notice.id}/circulation/${own?.country}/events`, own?.version);
  render(
    own
      ? html`<p>
            ${`Your country’s record (${countryName(own.country)}): `}<strong
              data-testid="own-record"
              data-state=${own.state}
              >${labelled(label('circulationStates', own.state), own.state)}</strong
            >
          </p>
          ${repeat(
            onRecord,
            (type) => `${notice.id} ${own.country} ${type}`,
            (type) => eventForm(type, recordVariants, `rec-${type}`, toRecord),
          )}`
      : nothing,
    $('act-record'),
  );
  // The requester acts on the records where its notice's subject is held: the extradition request.
  const requester = me().role === 'ncb' && me().country === notice.requestingCountry;
  const onOthers = requester ? requesterEvents(machine.transitions, records, notice.type) : [];
  render(
    repeat(
      onOthers,
      ({ record, type }) => `${notice.id} ${record.country} ${type}`,
      ({ record, type }) =>
        html`<p data-testid="held-record" data-country=${record.country}>
            ${`${countryName(record.country)}’s record: `}<strong>${stateWords(record)}</strong>${dueWords(record)}
          </p>
          ${eventForm(
            type,
            recordVariants,
            `req-${record.country}-${type}`,
            sender(`/api/notices/${notice.id}/circulation/${record.country}/events`, record.version),
          )}`,
    ),
    $('act-requester'),
  );
  $('act').hidden = !notice.allowedEvents.length && !own && !onOthers.length;
  $('no-act').hidden = !$('act').hidden;
}
