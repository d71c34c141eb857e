// @ts-check
/**
 * The messages page (`#/messages`): I-24/7 messages in words. A team writes to NCBs, the General
 * Secretariat or the CCF, about one of the notices it sees, and reads what it received by thread,
 * marking each read (its read receipt) and answering in the thread. The facilitator and observers
 * read every thread. `#/messages/about/<noticeId>` opens the form about that notice.
 */
import { api } from './api.js';
import { countryList } from './countries.js';
import { $, announce, messageOf } from './dom.js';
import { countryName, moment, noticeName, timeWords } from './format.js';
import { label } from './labels.js';
import { html, nothing, render } from './lit.js';
import { me, state } from './state.js';

/**
 * @typedef {{ id: string, threadId: string, replyTo?: string, from: string, to: string[],
 *   priority: 'urgent' | 'routine', subject: string, body: string, at: string,
 *   about?: { noticeId?: string, country?: string, hitId?: string }, reads: { by: string, at: string }[] }} Message
 */

const exercisePath = (/** @type {string} */ path) => `/api/exercises/${me().exercise.id}${path}`;
const writes = () => ['ncb', 'gs', 'ccf'].includes(me().role);

/** The signed-in team's own address: its country's code, "gs" or "ccf"; null for those who read all. */
export function ownAddress() {
  const { role, country } = me();
  if (role === 'ncb') return country ?? null;
  return role === 'gs' || role === 'ccf' ? role : null;
}

/** An address in words: "France NCB", "General Secretariat", "The system". */
export function addressWords(/** @type {string} */ address) {
  if (address === 'system') return 'The system';
  return /^[A-Z]{2}$/.test(address) ? `${countryName(address)} NCB` : label('roles', address);
}

/** What a message is about, in words, with a link to the notice. */
function aboutWords(/** @type {Message['about']} */ about) {
  if (!about) return nothing;
  if (about.hitId) return html` · about a database hit (<a href="#/databases">the hits</a>)`;
  const notice = about.noticeId ? state.notices.get(about.noticeId) : undefined;
  const name = notice ? noticeName(notice) : 'a notice';
  const record = about.country ? `, the record of ${countryName(about.country)}` : '';
  return html` · about <a href="#/notices/${about.noticeId}">${name}</a>${record}`;
}

/** Who has read it, in words. */
const readWords = (/** @type {Message} */ m) =>
  m.reads.length
    ? `Read by ${m.reads.map((r) => `${addressWords(r.by)} (${timeWords(r.at)})`).join(', ')}`
    : m.from === 'system'
      ? ''
      : 'Not read yet';

/** The form to write a message, or to answer `replyTo` in its thread. */
function composeForm(/** @type {{ about?: string, replyTo?: Message }} */ options = {}) {
  const { replyTo } = options;
  const own = ownAddress();
  const teams = [
    ['gs', 'General Secretariat'],
    ['ccf', 'Commission for the Control of Files'],
  ];
  const countries = countryList().filter(([code]) => code !== own);
  const prefix = replyTo ? `reply-${replyTo.id}` : 'compose';
  return html`<form
    class="message-form"
    data-testid=${prefix}
    @submit=${(/** @type {SubmitEvent} */ e) => onSend(e, replyTo)}
  >
    ${
      replyTo
        ? html`<p class="note">To ${addressWords(replyTo.from)}, in the thread.</p>`
        : html`<p>
              <label for="${prefix}-to">To <span class="note">(hold Ctrl or ⌘ to choose several)</span></label>
              <select id="${prefix}-to" name="to" multiple required size="6">
                ${teams.filter(([a]) => a !== own).map(([a, words]) => html`<option value=${a}>${words}</option>`)}
                ${countries.map(([code, name]) => html`<option value=${code}>${name} NCB</option>`)}
              </select>
            </p>
            <p>
              <label for="${prefix}-about">About</label>
              <select id="${prefix}-about" name="about">
                <option value="">No notice</option>
                ${[...state.notices.values()].map(
                  (n) => html`<option value=${n.id} ?selected=${n.id === options.about}>${noticeName(n)}</option>`,
                )}
              </select>
            </p>`
    }
    <p>
      <label for="${prefix}-priority">Priority</label>
      <select id="${prefix}-priority" name="priority">
        <option value="routine">Routine</option>
        <option value="urgent">Urgent</option>
      </select>
    </p>
    <p>
      <label for="${prefix}-subject">Subject</label>
      <input
        id="${prefix}-subject"
        name="subject"
        required
        maxlength="200"
        .value=${replyTo ? `Re: ${replyTo.subject.replace(/^Re: /, '')}` : ''}
      />
    </p>
    <p>
      <label for="${prefix}-body">Message</label>
      <textarea id="${prefix}-body" name="body" required rows="4" maxlength="10000"></textarea>
    </p>
    <button type="submit">${replyTo ? 'Send the answer' : 'Send'}</button>
    <p id="${prefix}-error" class="error" role="alert"></p>
  </form>`;
}

async function onSend(/** @type {SubmitEvent} */ e, /** @type {Message | undefined} */ replyTo) {
  e.preventDefault();
  const form = /** @type {HTMLFormElement} */ (e.target);
  const data = new FormData(form);
  const about = String(data.get('about') ?? '');
  const body = {
    ...(replyTo ? { replyTo: replyTo.id } : { to: data.getAll('to').map(String) }),
    ...(about && { about: { noticeId: about } }),
    priority: String(data.get('priority')),
    subject: String(data.get('subject')).trim(),
    body: String(data.get('body')).trim(),
  };
  const error = form.querySelector('.error');
  if (error) error.textContent = '';
  try {
    const text = JSON.stringify(body);
    await api(exercisePath('/messages'), { method: 'POST', body: text, once: `message-${replyTo?.id ?? 'new'}` });
    announce('Message sent');
    form.reset();
    await showMessages();
  } catch (err) {
    if (error) error.textContent = messageOf(err);
  }
}

async function markRead(/** @type {Message} */ m) {
  try {
    await api(`/api/messages/${m.id}/read`, { method: 'POST' });
    announce('Marked read');
    await showMessages();
  } catch (err) {
    announce(messageOf(err));
  }
}

/** One message of a thread, with what its reader may do with it. */
function messageItem(/** @type {Message} */ m) {
  const own = ownAddress();
  const unread = own !== null && m.to.includes(own) && !m.reads.some((r) => r.by === own);
  const answerable = writes() && m.from !== own && m.from !== 'system';
  return html`<li class="message ${m.priority}" data-message=${m.id} data-unread=${unread}>
    <div class="when">${moment(m.at)}${m.priority === 'urgent' ? html` · <strong>Urgent</strong>` : nothing}</div>
    <div><strong>${m.subject}</strong></div>
    <div class="note">From ${addressWords(m.from)} to ${m.to.map(addressWords).join(', ')}${aboutWords(m.about)}</div>
    <div class="typed">${m.body}</div>
    <div class="note" data-testid="reads">${readWords(m)}</div>
    ${unread ? html`<button type="button" @click=${() => void markRead(m)}>Mark read</button>` : nothing}
    ${
      answerable
        ? html`<details>
            <summary>Answer</summary>
            ${composeForm({ replyTo: m })}
          </details>`
        : nothing
    }
  </li>`;
}

/** The messages by thread, the thread with the latest message first. */
export function threadsView(/** @type {Message[]} */ messages) {
  /** @type {Map<string, Message[]>} */
  const threads = new Map();
  for (const m of messages) threads.set(m.threadId, [...(threads.get(m.threadId) ?? []), m]);
  const ordered = [...threads.values()].sort((a, b) => Date.parse(b.at(-1)?.at ?? '') - Date.parse(a.at(-1)?.at ?? ''));
  if (!ordered.length) return html`<p>No messages yet.</p>`;
  return ordered.map(
    (thread) =>
      html`<section class="pane thread" data-thread=${thread[0]?.threadId}>
        <ol class="timeline">
          ${thread.map(messageItem)}
        </ol>
      </section>`,
  );
}

/** How many received messages the signed-in team has not read: the navigation link says so. */
export function showUnread(/** @type {Message[]} */ messages) {
  const own = ownAddress();
  const unread = own ? messages.filter((m) => m.to.includes(own) && !m.reads.some((r) => r.by === own)).length : 0;
  $('nav-messages').textContent = unread ? `Messages (${unread} unread)` : 'Messages';
}

/**
 * Loads the messages; the page shows them when it is open, the navigation link counts the unread ones.
 * @param {string} [about] the notice the form is about, from `#/messages/about/<id>`
 */
export async function showMessages(about) {
  try {
    const { items } = await api(exercisePath('/messages?limit=1000'));
    showUnread(items);
    if ($('messages').hidden) return;
    $('messages-compose').hidden = !writes();
    if (writes() && (about !== undefined || !$('compose-form').hasChildNodes())) {
      render(composeForm({ about }), $('compose-form'));
    }
    render(threadsView(items), $('message-threads'));
  } catch (error) {
    render(html`<p class="error">${messageOf(error)}</p>`, $('message-threads'));
  }
}
