// @ts-check
/**
 * An NCB requests a Red or Yellow notice (routes `#/request/RED`, `#/request/YELLOW`) or edits its draft
 * (`#/notices/<id>/edit`), in a form drawn from the request's JSON Schema (`GET /api/schemas/notice-request`,
 * generated from the API's own zod schema; schema-form.js). "Save draft" creates the draft or sends
 * UPDATE_DRAFT; "Submit to the General Secretariat" saves, then sends SUBMIT. A 400 puts each error beside
 * its field and focuses the first; any other refusal (a paused exercise, a stale version) shows at the top.
 * After a save, the draft's compliance checks mark the fields they find missing. Only an ncb sees it.
 */
import { ApiError, api } from './api.js';
import { $, messageOf } from './dom.js';
import { noticeName } from './format.js';
import { eventLabel, fieldLabel, label } from './labels.js';
import { html, nothing, render } from './lit.js';
import { fieldId, readForm, rootFields, schemaFields } from './schema-form.js';
import { checkItem } from './request-view.js';
import { me } from './state.js';

/** @typedef {import('./schema-form.js').JsonSchema} JsonSchema */
/** @typedef {import('./request-view.js').Check} Check */
/**
 * A notice as the API gives it, with the request's fields at the top level.
 * @typedef {import('./state.js').NoticeDetail & { checks: Check[] } & Record<string, any>} Draft
 */
/** @typedef {{ type: 'RED' | 'YELLOW' } | { noticeId: string }} RequestRoute */

/** The routes this view draws, or null for another view's. */
export function requestRoute(/** @type {string} */ hash) {
  const create = /^#\/request\/(RED|YELLOW)$/.exec(hash);
  if (create) return /** @type {RequestRoute} */ ({ type: create[1] });
  const edit = /^#\/notices\/([0-9a-f-]{36})\/edit$/.exec(hash);
  return edit ? /** @type {RequestRoute} */ ({ noticeId: edit[1] }) : null;
}

/** @type {Map<string, Promise<JsonSchema>>} */
const schemas = new Map();
/** @type {Promise<{ get(code: string): string | undefined }> | null} */
let countryNames = null;

const schemaOf = (/** @type {string} */ type) => {
  if (!schemas.has(type)) schemas.set(type, api(`/api/schemas/notice-request?type=${type}`));
  return /** @type {Promise<JsonSchema>} */ (schemas.get(type));
};

/** Country names by code: the member countries' from the API, others' from the browser's own names. */
function countries() {
  countryNames ??= api('/api/countries').then(({ items }) => {
    const regions = new Intl.DisplayNames(['en'], { type: 'region' });
    /** @type {Map<string, string>} */
    const names = new Map(items.map((/** @type {{ code: string, name: string }} */ c) => [c.code, c.name]));
    return { get: (/** @type {string} */ code) => names.get(code) ?? regions.of(code) };
  });
  return countryNames;
}

/** What the form is about: its type, the draft once saved, and the API's answers to show. */
let view = {
  type: /** @type {'RED' | 'YELLOW'} */ ('RED'),
  /** @type {Draft | null} */ draft: null,
  /** @type {JsonSchema} */ schema: {},
  /** @type {Record<string, any>} */ value: {},
  /** @type {Map<string, string>} */ errors: new Map(),
  top: '',
  status: '',
  /** What this page last saved, so that submitting it unchanged does not save it again. */
  saved: '',
};

/** Opens the form for `route`; anyone but an ncb goes back to the list. */
export async function showRequestForm(/** @type {RequestRoute} */ route) {
  if (me().role !== 'ncb') {
    location.hash = '#/';
    return;
  }
  try {
    const draft = 'noticeId' in route ? /** @type {Draft} */ (await api(`/api/notices/${route.noticeId}`)) : null;
    const type = draft ? draft.type : /** @type {{ type: 'RED' | 'YELLOW' }} */ (route).type;
    const [schema] = await Promise.all([schemaOf(type), countries()]);
    const value = draft ? requestOf(draft, schema) : {};
    view = { type, draft, schema, value, errors: new Map(), top: '', status: '', saved: '' };
    await draw();
  } catch (error) {
    // A notice not found (or not one's own), or the API out of reach: said on the page, not lost.
    render(
      html`<p><a href="#/">← All notices</a></p>
        <p class="error" role="alert">${messageOf(error)}</p>`,
      $('new-request'),
    );
    return;
  }
  /** @type {HTMLElement | null} */ ($('new-request').querySelector('input, select, textarea'))?.focus();
}

/** The request a notice carries: the schema's fields, read off the notice. */
const requestOf = (/** @type {Draft} */ draft, /** @type {JsonSchema} */ schema) =>
  Object.fromEntries(rootFields(schema).map((k) => [k, draft[k]]));

/** Every field the draft's failing checks name, with the checks that name it. */
function missingFields(/** @type {Draft | null} */ draft) {
  /** @type {Map<string, string[]>} */
  const missing = new Map();
  for (const check of draft?.checks ?? []) {
    for (const path of check.passed ? [] : check.missing) missing.set(path, [...(missing.get(path) ?? []), check.id]);
  }
  return missing;
}

async function draw() {
  const editable = !view.draft || view.draft.allowedEvents.includes('UPDATE_DRAFT');
  const words = view.type === 'RED' ? 'Red' : 'Yellow';
  const title = view.draft ? `Edit the draft: ${words} notice, ${noticeName(view.draft)}` : `Request a ${words} notice`;
  const st = {
    value: view.value,
    countries: await countries(),
    errors: view.errors,
    missing: missingFields(view.draft),
  };
  render(
    html`<p><a href=${view.draft ? `#/notices/${view.draft.id}` : '#/'}>← Back</a></p>
      <h2 id="new-request-title">${title}</h2>
      <p id="request-error" class="error" role="alert">${view.top}</p>
      ${
        editable
          ? html`<form id="request-form" novalidate @submit=${onSubmit}>
              ${schemaFields(view.schema, st)}
              <p class="buttons">
                <button type="submit" value="save">Save draft</button>
                <button type="submit" value="submit">${eventLabel('SUBMIT', 'action')}</button>
                <span id="request-status" role="status">${view.status}</span>
              </p>
            </form>`
          : html`<p>${`This notice is no longer a draft (${label('noticeStates', view.draft?.state ?? '')}).`}</p>`
      }
      ${
        view.draft?.checks.length
          ? html`<section aria-labelledby="request-checks-title">
              <h3 id="request-checks-title">Compliance checks on this draft</h3>
              <p class="note">They run for real when the request is submitted.</p>
              <ul id="request-checks" class="checks">
                ${view.draft.checks.map(checkItem)}
              </ul>
            </section>`
          : nothing
      }`,
    $('new-request'),
  );
}

/** Saves (creates, or sends UPDATE_DRAFT on the version shown) and returns the draft as saved. */
async function save(/** @type {Record<string, unknown>} */ request) {
  if (!view.draft) {
    return /** @type {Promise<Draft>} */ (
      api(`/api/exercises/${me().exercise.id}/notices`, {
        method: 'POST',
        body: JSON.stringify(request),
        once: 'request-form',
      })
    );
  }
  return /** @type {Promise<Draft>} */ (
    api(`/api/notices/${view.draft.id}/events`, {
      method: 'POST',
      body: JSON.stringify({ type: 'UPDATE_DRAFT', request }),
      headers: { 'if-match': String(view.draft.version) },
    })
  );
}

/** The API's field path as the form names it: the body's (and UPDATE_DRAFT's `request`) prefix off, no indexes. */
const formPath = (/** @type {string} */ field) =>
  field
    .replace(/^body\./, '')
    .replace(/^request\./, '')
    .split('.')
    .filter((p) => !/^\d+$/.test(p))
    .join('.');

/** Shows a refusal: a 400's errors beside their fields (the first focused), anything else at the top. */
async function showError(/** @type {unknown} */ error) {
  view.errors = new Map();
  view.top = messageOf(error);
  view.status = '';
  if (error instanceof ApiError && error.status === 400 && Array.isArray(error.details)) {
    const unplaced = [];
    for (const { field, message } of /** @type {{ field: string, message: string }[]} */ (error.details)) {
      const path = formPath(field);
      if (document.getElementById(fieldId(path))) view.errors.set(path, `${fieldLabel(path)}: ${message}`);
      else unplaced.push(`${field}: ${message}`);
    }
    view.top = unplaced.length ? unplaced.join('; ') : 'Please correct the fields marked below.';
  }
  await draw();
  const first = [...view.errors.keys()][0];
  if (first) document.getElementById(fieldId(first))?.focus();
}

async function onSubmit(/** @type {SubmitEvent} */ e) {
  e.preventDefault();
  const form = /** @type {HTMLFormElement} */ (e.currentTarget);
  const submitting = /** @type {HTMLButtonElement | null} */ (e.submitter)?.value === 'submit';
  const request = readForm(form, view.schema);
  const unchanged = view.draft !== null && JSON.stringify(request) === view.saved;
  try {
    let draft = unchanged && view.draft ? view.draft : await save(request);
    const value = requestOf(draft, view.schema);
    view = {
      ...view,
      draft,
      value,
      errors: new Map(),
      top: '',
      status: 'Draft saved.',
      saved: JSON.stringify(request),
    };
    // The draft has an address now: a reload opens it again (no hashchange, so the form stays as it is).
    history.replaceState(null, '', `#/notices/${draft.id}/edit`);
    if (submitting) {
      draft = await api(`/api/notices/${draft.id}/events`, {
        method: 'POST',
        body: JSON.stringify({ type: 'SUBMIT' }),
        headers: { 'if-match': String(draft.version) },
      });
      location.hash = `#/notices/${draft.id}`;
      return;
    }
    await draw();
  } catch (error) {
    await showError(error);
  }
}

/** The notice page's way in: "Edit draft" on a draft its owner may still change. */
export function editDraftEntry(/** @type {{ id: string, allowedEvents: string[] }} */ notice) {
  return notice.allowedEvents.includes('UPDATE_DRAFT')
    ? html`<a class="button" id="edit-draft" href=${`#/notices/${notice.id}/edit`}>Edit draft</a>`
    : nothing;
}
