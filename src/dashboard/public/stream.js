// @ts-check
/**
 * The exercise's live event stream (server-sent events, read with fetch so the token goes in a
 * header), and what each event redraws.
 */
import { showClock } from './clock.js';
import { showDatabases } from './databases.js';
import { $, announce } from './dom.js';
import { noticeName } from './format.js';
import { label } from './labels.js';
import { showHeatmap } from './heatmap.js';
import { addressWords, ownAddress, showMessages } from './messages.js';
import { loadNotices, reloadNoticesSoon, renderNotices } from './notice-list.js';
import { showNotice } from './notice-page.js';
import { route } from './router.js';
import { me, state } from './state.js';

/** @typedef {import('./state.js').StreamEvent} StreamEvent */

let streamRetryMs = 2000;
export function openStream() {
  const controller = new AbortController();
  state.stream = controller;
  const headers = new Headers({ authorization: `Bearer ${state.token}` });
  if (state.lastEventId) headers.set('last-event-id', state.lastEventId);
  fetch(`/api/exercises/${me().exercise.id}/stream`, { headers, signal: controller.signal })
    .then(async (res) => {
      if ([401, 403, 404].includes(res.status)) {
        // The token was revoked (or the exercise is gone): retrying would only count failed sign-ins.
        controller.abort();
        announce('Signed out: this token no longer works.');
        $('who').textContent = 'Signed out: this token no longer works';
        return;
      }
      if (!res.ok || !res.body) throw new Error(`stream ${res.status}`);
      streamRetryMs = 2000;
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buffer = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        let end;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          handleMessage(buffer.slice(0, end));
          buffer = buffer.slice(end + 2);
        }
      }
      throw new Error('stream ended');
    })
    .catch(() => {
      // Reconnect from the last event seen: the server sends exactly what was missed. Back off while it fails.
      if (controller.signal.aborted) return;
      setTimeout(openStream, streamRetryMs);
      streamRetryMs = Math.min(streamRetryMs * 2, 30_000);
    });
}

/** One server-sent event: its id is remembered for a reconnect; notice events are acted on. */
function handleMessage(/** @type {string} */ block) {
  /** @type {{ id?: string, event?: string, data: string }} */
  const message = { data: '' };
  for (const line of block.split('\n')) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const field = line.slice(0, i);
    const value = line.slice(i + 1).replace(/^ /, '');
    if (field === 'id') message.id = value;
    else if (field === 'event') message.event = value;
    else if (field === 'data') message.data += value;
  }
  if (message.id) state.lastEventId = message.id;
  if (message.event === 'reset') {
    onReset(JSON.parse(message.data));
    return;
  }
  if (message.event !== 'notice-event') return;
  /** @type {StreamEvent} */
  const event = JSON.parse(message.data);
  onEvent(event);
}

/** @typedef {{ now: string, running: boolean, speed: number, freezeWhilePaused: boolean }} ClockView */

/** The facilitator started the next run: the list starts empty again, the view and the clock are redrawn. */
function onReset(/** @type {{ run: number, clock: ClockView }} */ reset) {
  state.notices = new Map();
  renderNotices();
  void loadNotices();
  showClock(reset.clock);
  route();
  // The console's panels (injects pending again, deadlines gone) follow.
  document.dispatchEvent(new CustomEvent('exercise-changed'));
  announce(`The facilitator reset the exercise: run ${reset.run} starts`);
}

/** A message sent or read: the messages page and the unread count follow; a new one to this team is announced. */
function onMessage(/** @type {StreamEvent} */ event) {
  void showMessages();
  const own = ownAddress();
  if (event.type === 'SENT' && own && event.to?.includes(own)) {
    const urgent = event.priority === 'urgent' ? 'Urgent message' : 'Message';
    announce(`${urgent} from ${addressWords(event.from ?? '')}: ${event.title ?? ''}`);
  }
  // A message about the notice on screen joins its history.
  if (event.about?.noticeId && state.current === event.about.noticeId) void showNotice(event.about.noticeId);
}

/** @type {ReturnType<typeof setTimeout> | null} */
let refreshTimer = null;
/** @type {ReturnType<typeof setTimeout> | null} */
let heatTimer = null;
function onEvent(/** @type {StreamEvent} */ event) {
  document.dispatchEvent(new CustomEvent('exercise-changed'));
  // A hit on what this country holds: the databases page shows it.
  if (event.subject === 'notification' && !$('databases').hidden) void showDatabases();
  if (event.subject === 'message') {
    onMessage(event);
    return;
  }
  // A database record's change: nothing of the notices' list moves.
  if (event.subject !== 'notice') return;
  const known = state.notices.get(event.noticeId);
  if (!known) {
    // A notice this list has not seen yet.
    reloadNoticesSoon();
  } else if (!event.country || known.state !== event.noticeState) {
    // The notice's own event: its last change, on the simulated clock as the list loads it (wall time beside).
    const moved = known.state !== event.noticeState;
    known.state = event.noticeState;
    if (!event.country) {
      known.lastEventAt = event.at;
      if (event.recordedAt) known.updatedAt = event.recordedAt;
    }
    renderNotices(event.noticeId);
    if (moved) announce(`${noticeName(known)} is now ${label('noticeStates', event.noticeState)}`);
  }
  if (!state.current && !$('paths').hidden) {
    if (heatTimer) clearTimeout(heatTimer);
    heatTimer = setTimeout(() => void showHeatmap(), 500);
  }
  if (state.current === event.noticeId) {
    // Events come in bursts (195 records close at once): redraw once the burst is over.
    if (refreshTimer) clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => void showNotice(event.noticeId), 150);
  }
}
