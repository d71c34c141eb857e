// @ts-check
/**
 * One notice's page (route `#/notices/<id>`), laid out for a 1366×768 screen: what was requested and its
 * compliance checks beside the forms to act, the deadlines and the history; the state diagram and the
 * map of its circulation below, behind a toggle.
 */
import { renderActions } from './act-forms.js';
import { api } from './api.js';
import { renderMap } from './circulation-map.js';
import { renderDiagram } from './diagram.js';
import { $ } from './dom.js';
import { countryName, loadCountries, moment, noticeName } from './format.js';
import { historyView } from './history-view.js';
import { label, labelled } from './labels.js';
import { html, nothing, render } from './lit.js';
import { editDraftEntry } from './request-form.js';
import { checksView, deadlinesView, requestView } from './request-view.js';
import { me, state } from './state.js';

/** @typedef {import('./state.js').NoticeDetail} NoticeDetail */

// A run of text between elements is one value (one text node), so it lays out exactly as plain markup would.

function summary(/** @type {NoticeDetail} */ n) {
  const changed = n.lastEventAt ? html`${' · last change '}${moment(n.lastEventAt, n.updatedAt)}` : nothing;
  return html`${`Requested by ${countryName(n.requestingCountry)} · `}<strong
      data-testid="notice-state"
      data-state=${n.state}
      >${labelled(label('noticeStates', n.state), n.state)}</strong
    >${changed}${` · version ${n.version}`}`;
}

/** The way to write a message about the notice, for a team. */
const writeAbout = (/** @type {NoticeDetail} */ n) =>
  ['ncb', 'gs', 'ccf'].includes(me().role)
    ? html`<a href="#/messages/about/${n.id}">Write a message about this notice</a>`
    : nothing;

let renderSeq = 0;

/** Loads and draws the notice; a later call wins over one still loading. */
export async function showNotice(/** @type {string} */ id) {
  const seq = ++renderSeq;
  const labels = /** @type {HTMLInputElement} */ ($('full-labels')).checked ? 'full' : 'events';
  const [notice, history, circulation, diagram, messages] = await Promise.all([
    /** @type {Promise<NoticeDetail & Record<string, any>>} */ (api(`/api/notices/${id}`)),
    api(`/api/notices/${id}/history`),
    api(`/api/notices/${id}/circulation`),
    api(`/api/notices/${id}/diagram?format=mermaid&labels=${labels}`, { text: true }),
    api(`/api/exercises/${me().exercise.id}/messages?noticeId=${id}&limit=1000`).catch(() => ({ items: [] })),
    loadCountries(),
  ]);
  if (seq !== renderSeq) return;
  state.notices.set(id, notice);
  $('notice-title').textContent = `${notice.type === 'RED' ? 'Red' : 'Yellow'} notice: ${noticeName(notice)}`;
  render(summary(notice), $('notice-summary'));
  render(requestView(notice), $('request'));
  render(checksView(notice), $('checks'));
  const deadlines = deadlinesView(notice, circulation.items);
  render(deadlines, $('deadlines'));
  $('deadlines-pane').hidden = deadlines === nothing;
  render(editDraftEntry(notice), $('notice-edit'));
  await renderActions(notice, circulation.items, () => showNotice(notice.id));
  render(historyView(history.items, messages.items), $('history'));
  render(writeAbout(notice), $('notice-message'));
  await Promise.all([renderDiagram(diagram), renderMap(notice, circulation.items)]);
}
