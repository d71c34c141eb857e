// @ts-check
/**
 * A notice's history in words: what happened, by whom, on which record, from which state to which,
 * and what people typed with it (details, reasons, questions, answers, grounds, corrections).
 */
import { countryName, moment, timeWords } from './format.js';
import { eventLabel, fieldLabel, label, labelled } from './labels.js';
import { html, nothing } from './lit.js';
import { addressWords } from './messages.js';

/** @typedef {import('./state.js').HistoryItem} HistoryItem */
/** @typedef {import('./messages.js').Message} Message */

/** Who acted: the participant's name when the API gives it, the role in words, the country's name. */
export function actorWords(/** @type {HistoryItem['actor']} */ actor) {
  const role = `${label('roles', actor.role)}${actor.country ? ` of ${countryName(actor.country)}` : ''}`;
  return actor.name ? `${actor.name} (${role})` : role;
}

const stateWords = (/** @type {HistoryItem} */ h, /** @type {string} */ state) =>
  label(h.country ? 'circulationStates' : 'noticeStates', state);

/**
 * Leaves of a nested object as dotted paths: the corrections of a PROVIDE_INFO.
 * @returns {[string, unknown][]}
 */
function leaves(/** @type {unknown} */ value, /** @type {string} */ prefix = '') {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [[prefix, value]];
  /** @type {[string, unknown][]} */
  const out = [];
  for (const [key, v] of Object.entries(value)) out.push(...leaves(v, prefix ? `${prefix}.${key}` : key));
  return out;
}

/** Typed text, kept as the text it is (pre-wrapped, never markup). */
const typed = (/** @type {string} */ name, /** @type {unknown} */ value) =>
  html`<div class="said">
    <span class="field">${fieldLabel(name)}:</span> <span class="typed">${`“${String(value)}”`}</span>
  </div>`;

const line = (/** @type {string} */ words) => html`<div class="said">${words}</div>`;

/** What the payload says, in words; fields the page has no words for are left to the API. */
function payloadLines(/** @type {Record<string, unknown>} */ payload) {
  /** @type {unknown[]} */
  const lines = [];
  for (const name of ['question', 'answer', 'reason', 'details', 'decisionRef']) {
    if (typeof payload[name] === 'string' && payload[name]) lines.push(typed(name, payload[name]));
  }
  if (Array.isArray(payload.grounds) && payload.grounds.length) {
    const grounds = payload.grounds.map(
      (g) => html`<li>${labelled(label('refusalGrounds', String(g)), String(g))}</li>`,
    );
    lines.push(
      html`<div class="said">
        <span class="field">${fieldLabel('grounds')}:</span>
        <ul class="grounds">
          ${grounds}
        </ul>
      </div>`,
    );
  }
  if (payload.changes && typeof payload.changes === 'object') {
    const changes = leaves(payload.changes).map(
      ([path, v]) =>
        html`<li>
          ${`${fieldLabel(String(path))}: `}<span class="typed"
            >${`“${Array.isArray(v) ? v.join(', ') : String(v)}”`}</span
          >
        </li>`,
    );
    lines.push(
      html`<div class="said">
        <span class="field">${fieldLabel('changes')}:</span>
        <ul class="changes">
          ${changes}
        </ul>
      </div>`,
    );
  }
  if (payload.article3Cleared === true) lines.push(line(fieldLabel('article3Cleared')));
  if (payload.particularImportance === true) lines.push(line(fieldLabel('particularImportance')));
  if (Array.isArray(payload.failingChecks) && payload.failingChecks.length) {
    lines.push(line(`Checks failing: ${payload.failingChecks.map((id) => label('checks', String(id))).join('; ')}`));
  }
  if (typeof payload.recipientCount === 'number') {
    lines.push(line(`Circulated to ${payload.recipientCount} member countries`));
  }
  return lines;
}

/** One entry; `count` > 1 for a run of records closed together. */
function entry(/** @type {HistoryItem} */ h, /** @type {number} */ count) {
  const record = h.country ? (count > 1 ? ` on ${count} records` : ` on the record of ${countryName(h.country)}`) : '';
  const states = `${h.from ? `${stateWords(h, h.from)} → ` : ''}${stateWords(h, h.to)}`;
  return html`<li data-type=${h.type} data-seq=${h.seq}>
    <div class="when">${moment(h.at, h.recordedAt)}</div>
    <div><strong>${labelled(eventLabel(h.type, 'done'), h.type)}</strong>${` by ${actorWords(h.actor)}${record}`}</div>
    <div class="states">${states}</div>
    ${h.payload ? payloadLines(h.payload) : nothing}
  </li>`;
}

/** A message about the notice, as the timeline shows it among the events. */
function messageEntry(/** @type {Message} */ m) {
  const record = m.about?.country ? ` · the record of ${countryName(m.about.country)}` : '';
  const reads = m.reads.map((r) => `${addressWords(r.by)} (${timeWords(r.at)})`).join(', ');
  return html`<li class="message-entry" data-type="MESSAGE" data-message=${m.id}>
    <div class="when">${moment(m.at)}${m.priority === 'urgent' ? ' · urgent' : ''}</div>
    <div>
      <strong>${m.replyTo ? 'Answer' : 'Message'}</strong>${` from ${addressWords(m.from)} to `}${m.to
        .map(addressWords)
        .join(', ')}${record}
    </div>
    <div class="said"><span class="typed">${`“${m.subject}”`}</span></div>
    <div class="said">${reads ? `Read by ${reads}` : 'Not read yet'} · <a href="#/messages">Open the messages</a></div>
  </li>`;
}

/**
 * The history, latest first, with the messages about the notice among its events. Records closed
 * together when a notice ends (up to 195 of them) read as one line.
 * @param {HistoryItem[]} items @param {Message[]} [messages]
 */
export function historyView(items, messages = []) {
  /** @type {{ h: HistoryItem, count: number }[]} */
  const runs = [];
  for (const h of items) {
    const last = runs.at(-1);
    if (last && h.type === 'CLOSE' && last.h.type === 'CLOSE' && last.h.at === h.at) last.count += 1;
    else runs.push({ h, count: 1 });
  }
  const events = runs.map(({ h, count }) => ({ at: Date.parse(h.at), view: entry(h, count) }));
  const said = messages.map((m) => ({ at: Date.parse(m.at), view: messageEntry(m) }));
  // Oldest first, a message after the events of its moment; then latest first.
  const merged = [...events, ...said].sort((a, b) => a.at - b.at);
  return merged.reverse().map((e) => e.view);
}
