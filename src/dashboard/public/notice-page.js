// @ts-check
/** One notice's page (route `#/notices/<id>`): title, summary, forms to act, diagram, map and history. */
import { renderActions } from './act-forms.js';
import { api } from './api.js';
import { renderMap } from './circulation-map.js';
import { renderDiagram } from './diagram.js';
import { $ } from './dom.js';
import { noticeName, when } from './format.js';
import { html, render } from './lit.js';
import { editDraftEntry } from './request-form.js';
import { state } from './state.js';

/** @typedef {import('./state.js').NoticeDetail} NoticeDetail */
/** @typedef {import('./state.js').HistoryItem} HistoryItem */

// A run of text between elements is one value (one text node), so it lays out exactly as plain markup would.

function summary(/** @type {NoticeDetail} */ n) {
  const allowed = n.allowedEvents.length ? ` · you may send ${n.allowedEvents.join(', ')}` : '';
  return html`${`Requested by ${n.requestingCountry} · state `}<strong data-testid="notice-state">${n.state}</strong
    >${` · version ${n.version}${allowed}`}`;
}

function historyItem(/** @type {HistoryItem} */ h) {
  const actor = `${h.actor.role}${h.actor.country ? ` ${h.actor.country}` : ''}`;
  const record = h.country ? ` on the ${h.country} record` : '';
  return html`<li>
    <time datetime=${h.at}>${when(h.at)}</time
    ><strong>${h.type}</strong>${` by ${actor}${record}: ${h.from ?? '—'} → ${h.to}`}
  </li>`;
}

let renderSeq = 0;

/** Loads and draws the notice; a later call wins over one still loading. */
export async function showNotice(/** @type {string} */ id) {
  const seq = ++renderSeq;
  const labels = /** @type {HTMLInputElement} */ ($('full-labels')).checked ? 'full' : 'events';
  const [notice, history, circulation, diagram] = await Promise.all([
    /** @type {Promise<NoticeDetail>} */ (api(`/api/notices/${id}`)),
    api(`/api/notices/${id}/history`),
    api(`/api/notices/${id}/circulation`),
    api(`/api/notices/${id}/diagram?format=mermaid&labels=${labels}`, { text: true }),
  ]);
  if (seq !== renderSeq) return;
  state.notices.set(id, notice);
  $('notice-title').textContent = `${notice.type === 'RED' ? 'Red' : 'Yellow'} notice: ${noticeName(notice)}`;
  render(summary(notice), $('notice-summary'));
  render(editDraftEntry(notice), $('draft-edit'));
  await renderActions(notice, circulation.items, () => showNotice(notice.id));
  render(history.items.map(historyItem), $('history'));
  await Promise.all([renderDiagram(diagram), renderMap(notice, circulation.items)]);
}
