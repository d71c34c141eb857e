// @ts-check
/** The API, called with the participant's token. */
import { state } from './state.js';

export class ApiError extends Error {
  /** @param {number} status @param {string} message @param {string} [code] the API's error code */
  constructor(status, message, code) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

/**
 * A request to the API; the body of an error response becomes an ApiError's message.
 * @param {string} path
 * @param {RequestInit & { text?: boolean }} [init]
 * @returns {Promise<any>}
 */
export async function api(path, init = {}) {
  const headers = new Headers(init.headers);
  if (state.token) headers.set('authorization', `Bearer ${state.token}`);
  if (init.body) headers.set('content-type', 'application/json');
  const res = await fetch(path, { ...init, headers });
  if (!res.ok) {
    const body = await res.json().catch(() => null);
    throw new ApiError(res.status, body?.error?.message ?? res.statusText, body?.error?.code);
  }
  return init.text ? res.text() : res.json();
}
