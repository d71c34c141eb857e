// @ts-check
/**
 * Acting on a notice: a form per event the participant may send, built from the API's own schemas
 * (the OpenAPI document's `NoticeEvent` and `CirculationEvent`), so the dashboard asks for exactly
 * what the API wants.
 */
import { api, ApiError } from './api.js';
import { readClock } from './clock.js';
import { $, messageOf } from './dom.js';
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

/**
 * One field of an event's body: a checkbox for a boolean, a text field for a string, a checkbox per
 * choice for a list of choices (the grounds of a refusal); required ones marked.
 * @param {string} fieldId @param {string} name @param {FieldSchema} schema @param {boolean} required
 */
function field(fieldId, name, schema, required) {
  const label = `${name}${required ? '' : ' (optional)'}`;
  if (schema.type === 'array') {
    const choices = (schema.items?.enum ?? []).map(
      (value) => html`<label><input type="checkbox" name=${name} value=${value} />${` ${value}`}</label> `,
    );
    return html` <fieldset class="choices" data-list=${name} id=${fieldId}>
      <legend>${label}</legend>
      ${choices}
    </fieldset>`;
  }
  // A run of text is one value (one text node), so it lays out exactly as plain markup would.
  return schema.type === 'boolean'
    ? html` <label><input type="checkbox" id=${fieldId} name=${name} />${` ${name}`}</label>`
    : html` <label for=${fieldId}>${label}</label>
        <input type="text" id=${fieldId} name=${name} ?required=${required} />`;
}

/** Whether the dashboard can ask for a field: text, a yes/no, or a list of choices. */
const askable = (/** @type {FieldSchema} */ p) =>
  p.type === 'string' || p.type === 'boolean' || (p.type === 'array' && !!p.items?.enum);

/**
 * The form for one event, from its body schema among `variants`.
 * @param {string} type @param {EventSchema[]} variants @param {string} id @param {OnSubmit} onSubmit
 */
function eventForm(type, variants, id, onSubmit) {
  const schema = variants.find((v) => v.properties?.type?.enum?.[0] === type);
  const required = new Set(schema?.required ?? []);
  const fields = Object.entries(schema?.properties ?? {})
    .filter(([name, p]) => name !== 'type' && askable(p))
    .map(([name, p]) => field(`${id}-${name}`, name, p, required.has(name)));
  return html`<form data-event=${type} id=${id} @submit=${onSubmit}>
    <fieldset>
      <legend>${type}</legend>
      ${fields} <button type="submit">${`Send ${type}`}</button>
    </fieldset>
  </form>`;
}

/** The event a form describes: its type, its checkboxes, and the text fields filled in. */
function bodyOf(/** @type {HTMLFormElement} */ form) {
  /** @type {Record<string, unknown>} */
  const body = { type: form.dataset.event };
  for (const input of form.querySelectorAll('input')) {
    if (input.closest('[data-list]')) {
      const list = /** @type {string[]} */ (body[input.name] ??= []);
      if (input.checked) list.push(input.value);
    } else if (input.type === 'checkbox') body[input.name] = input.checked;
    else if (input.value.trim()) body[input.name] = input.value.trim();
  }
  return body;
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

/**
 * Draws the forms for the notice's events and, for an ncb, its own record's; `refresh` redraws the page
 * once one is sent.
 * @param {NoticeDetail} notice @param {CirculationRecord[]} records @param {() => Promise<unknown>} refresh
 */
export async function renderActions(notice, records, refresh) {
  const { notice: noticeVariants, circulation: recordVariants, machine } = await loadVocabulary();
  $('act-error').textContent = '';
  // An ncb acts on its own country's record.
  const own = me().role === 'ncb' ? records.find((r) => r.country === me().country) : undefined;
  const onRecord = own ? recordEvents(machine.transitions, own, notice.type) : [];

  /** @param {string} path @param {number | undefined} version @returns {OnSubmit} */
  const sender = (path, version) => (e) => {
    e.preventDefault();
    const form = /** @type {HTMLFormElement} */ (e.currentTarget);
    // If-Match: the version this page shows, so acting on a stale view is refused, not misapplied.
    api(path, { method: 'POST', body: JSON.stringify(bodyOf(form)), headers: { 'if-match': String(version) } })
      .then(() => {
        form.reset();
        return refresh();
      })
      .catch((error) => {
        // The API's own words ("The exercise is paused by the facilitator: …"); the clock then shows the pause.
        $('act-error').textContent = messageOf(error);
        if (error instanceof ApiError && error.code === 'EXERCISE_PAUSED') void readClock().catch(() => undefined);
      });
  };
  const toNotice = sender(`/api/notices/${notice.id}/events`, notice.version);
  // Forms are kept by notice and event, so what is typed in one survives the live redraws.
  render(
    repeat(
      notice.allowedEvents,
      (type) => `${notice.id} ${type}`,
      (type) => eventForm(type, noticeVariants, `act-${type}`, toNotice),
    ),
    $('act-notice'),
  );
  const toRecord = sender(`/api/notices/${notice.id}/circulation/${own?.country}/events`, own?.version);
  render(
    own
      ? html`<p>${`Your record (${own.country}): `}<strong data-testid="own-record">${own.state}</strong></p>
          ${repeat(
            onRecord,
            (type) => `${notice.id} ${own.country} ${type}`,
            (type) => eventForm(type, recordVariants, `rec-${type}`, toRecord),
          )}`
      : nothing,
    $('act-record'),
  );
  $('act').hidden = !notice.allowedEvents.length && !onRecord.length;
}
