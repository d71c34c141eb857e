// @ts-check
/** What the dashboard's views share: who signed in, the notices known, the one shown, the stream. */

/**
 * @typedef {{ participantId: string, role: string, country?: string, name?: string, key?: string,
 *   exercise: { id: string, name: string, title: string | null } }} Me
 */
/**
 * A notice as the list has it. The subject's names may be missing (the API may make them optional).
 * `lastEventAt` is simulated time (of its latest own event), `updatedAt` wall time.
 * @typedef {{ id: string, type: 'RED' | 'YELLOW', state: string, requestingCountry: string, updatedAt: string,
 *   lastEventAt?: string | null, subject: { familyName?: string, forename?: string } }} Notice
 */
/** @typedef {Notice & { version: number, allowedEvents: string[] }} NoticeDetail */
/**
 * A country's record of a notice; `deadline` its own timed step (a release after a provisional arrest).
 * @typedef {{ country: string, state: string, version: number, deadline?: { event: string, at: string },
 *   deadlines?: { event: string, at: string }[] }} CirculationRecord
 */
/**
 * A history entry: `at` simulated time, `recordedAt` wall time; `payload` what was sent with the event.
 * @typedef {{ seq: number, type: string, actor: { role: string, country?: string, name?: string },
 *   from: string | null, to: string, country?: string, at: string, recordedAt?: string,
 *   payload?: Record<string, unknown> }} HistoryItem
 */
/**
 * A change on the stream: a notice's (or one of its records'), a database record's (`subject: 'record'`),
 * a hit's notification, or a message sent or read (`subject: 'message'`, with `from`, `to`, `title`, `about`).
 * @typedef {{ subject: 'notice' | 'record' | 'notification' | 'message', noticeId: string, type: string,
 *   country?: string, noticeState: string, at: string, recordedAt?: string, from?: string, to?: string[],
 *   title?: string, priority?: string, about?: { noticeId?: string, country?: string, hitId?: string } }} StreamEvent
 */

export const TOKEN_KEY = 'notice-simulator.token';

/**
 * @type {{ token: string | null, me: Me | null, notices: Map<string, Notice>, current: string | null,
 *   lastEventId: string | null, stream: AbortController | null }}
 */
export const state = {
  token: sessionStorage.getItem(TOKEN_KEY),
  me: null,
  notices: new Map(),
  current: null,
  lastEventId: null,
  stream: null,
};

/** The signed-in participant: every view but the sign-in form runs after sign-in. */
export const me = () => /** @type {Me} */ (state.me);
