// @ts-check
/**
 * Words for people on screen: the server's one catalogue (`GET /api/labels`, src/kernel/labels.ts),
 * loaded once. A label shows first; the code stays beside it as small secondary text where people
 * meet it (`labelled`), so trainers and the API's documentation still speak the same names.
 */
import { html } from './lit.js';

/** @typedef {'roles' | 'noticeTypes' | 'noticeStates' | 'circulationStates' | 'fields' | 'checks' | 'deadlines'
 *   | 'refusalGrounds' | 'sexes' | 'offenceBases' | 'offenceCategories' | 'recordKinds' | 'lossKinds'
 *   | 'extraditionBases' | 'conventions' | 'priorities'} LabelKind */
/** @typedef {Record<LabelKind, Record<string, string>> & {
 *   events: Record<string, { action: string, done: string }> }} Labels */

/** @type {Labels | null} */
let catalogue = null;

/** Loads the catalogue (once; later calls reuse it). */
export async function loadLabels() {
  if (!catalogue) {
    const res = await fetch('/api/labels');
    if (!res.ok) throw new Error(`labels: ${res.status}`);
    catalogue = /** @type {Labels} */ (await res.json());
  }
  return catalogue;
}

/** The label of a code, or the code itself when there is none (or the catalogue is not loaded yet). */
export function label(/** @type {LabelKind} */ kind, /** @type {string} */ code) {
  return catalogue?.[kind]?.[code] ?? code;
}

/** An event's label: `action` for a button, `done` for a history line. */
export function eventLabel(/** @type {string} */ code, /** @type {'action' | 'done'} */ voice = 'done') {
  return catalogue?.events[code]?.[voice] ?? code;
}

/**
 * A field's label from its dotted path (`offence.warrant.reference`), as src/kernel/labels.ts reads it:
 * array indexes are skipped, and PROVIDE_INFO's `changes.` prefix reads as the field it corrects.
 */
export function fieldLabel(/** @type {string | (string | number)[]} */ path) {
  const parts = (typeof path === 'string' ? path.split('.') : path.map(String)).filter((p) => !/^\d+$/.test(p));
  const corrected = parts[0] === 'changes' && parts.length > 1 ? parts.slice(1) : parts;
  return label('fields', corrected.join('.'));
}

/** A label with its code as small secondary text, e.g. "Approve and publish APPROVE". */
export function labelled(/** @type {string} */ words, /** @type {string} */ code) {
  return words === code ? html`${code}` : html`${words} <small class="code">${code}</small>`;
}
