// @ts-check
/** The API, called with the participant's token. */
import { state } from './state.js';

export class ApiError extends Error {
  /**
   * @param {number} status @param {string} message
   * @param {string} [code] the API's error code (`VALIDATION_FAILED`, `EXERCISE_PAUSED`…)
   * @param {unknown} [details] what the API said about each field or check, as it sent it
   */
  constructor(status, message, code, details) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

/** The `Idempotency-Key` of each creating form's request in flight or failed, with the body it was sent with. */
const pending = new Map();

/**
 * The key for a creating request from `form`: the same while the request is the same and has not
 * succeeded (a double click, a retry after a lost answer: created once), a new one otherwise.
 * Random bytes rather than crypto.randomUUID(), which a page on plain HTTP (a LAN) does not have.
 * @param {string} form @param {unknown} body
 */
function idempotencyKey(form, body) {
  const last = pending.get(form);
  if (last?.body === body) return last.key;
  const key = Array.from(crypto.getRandomValues(new Uint8Array(16)), (b) => b.toString(16).padStart(2, '0')).join('');
  pending.set(form, { body, key });
  return key;
}

/**
 * A request to the API; the body of an error response becomes an ApiError's message. `once` names the
 * form of a creating request, which then carries an `Idempotency-Key`.
 * @param {string} path
 * @param {RequestInit & { text?: boolean, once?: string }} [init]
 * @returns {Promise<any>}
 */
export async function api(path, init = {}) {
  const { text, once, ...request } = init;
  const headers = new Headers(request.headers);
  if (state.token) headers.set('authorization', `Bearer ${state.token}`);
  if (request.body) headers.set('content-type', 'application/json');
  if (once) headers.set('idempotency-key', idempotencyKey(once, request.body));
  const res = await fetch(path, { ...request, headers });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new ApiError(res.status, body?.error?.message ?? res.statusText, body?.error?.code, body?.error?.details);
  }
  if (once) pending.delete(once);
  return text ? res.text() : res.json();
}
