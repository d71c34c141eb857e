/**
 * Every error code the API answers with, its HTTP status and what it means: the one catalogue that
 * `AppError`, the OpenAPI document and the README's error table are written from.
 */
export const ERROR_CODES = {
  VALIDATION_FAILED: { status: 400, meaning: 'Invalid input; `details` lists `{ field, message }` for each bad field' },
  MALFORMED_JSON: { status: 400, meaning: 'The body is not valid JSON' },
  BAD_REQUEST: { status: 400, meaning: 'The request could not be read' },
  UNAUTHORIZED: { status: 401, meaning: 'No token, an unknown or revoked one, or a malformed `Authorization` header' },
  FORBIDDEN: { status: 403, meaning: 'The caller’s role or country may not do this; the message says why' },
  NOT_FOUND: { status: 404, meaning: 'Unknown, in another exercise, or not visible to the caller' },
  METHOD_NOT_ALLOWED: {
    status: 405,
    meaning: 'The path exists but does not take this method; `Allow` lists those it takes',
  },
  INVALID_TRANSITION: {
    status: 409,
    meaning: 'The current state does not take the event; `details.allowedEvents` lists what this caller may send',
  },
  CHECKS_FAILED: {
    status: 409,
    meaning: '`APPROVE` while a blocking check fails, saying what to do; `details.failingChecks`, `details.fields`',
  },
  STALE_VERSION: { status: 409, meaning: 'Changed since the request arrived, or `If-Match` names another version' },
  NOTICE_NOT_ACTIVE: {
    status: 409,
    meaning: 'A circulation event while the notice is not published or renewal_pending',
  },
  NOTICE_NOT_CREATED: {
    status: 409,
    meaning: 'A scenario inject acts on what its script has not made: a notice, a record or a hit',
  },
  EARLIER_RUN: {
    status: 409,
    meaning: 'An event on a notice of an earlier run, which a reset has ended: it is read-only; `details.run`',
  },
  SIMULATION_NOT_DONE: { status: 409, meaning: 'A simulation’s report while it is queued, running or failed' },
  EXERCISE_PAUSED: {
    status: 409,
    meaning: 'A team (ncb, gs, ccf) changes something while the facilitator has paused the clock; `details.pausedAt`',
  },
  ALREADY_LINKED: {
    status: 409,
    meaning: 'A record, notice or hit linked to another person: unlink it there first; `details.personId`',
  },
  NOT_LINKED: { status: 409, meaning: 'An unlink of a record, notice or hit that is not linked to this person' },
  PRECONDITION_FAILED: {
    status: 412,
    meaning: 'An `If-Match` or `If-Unmodified-Since` condition on a file does not hold',
  },
  PAYLOAD_TOO_LARGE: { status: 413, meaning: 'The body is over the limit (100 kB; 2 MB to create an exercise)' },
  UNSUPPORTED_ENCODING: {
    status: 415,
    meaning: 'A body in a charset other than UTF-8, or a records import neither JSON nor CSV',
  },
  IDEMPOTENCY_KEY_REUSED: {
    status: 422,
    meaning: 'The `Idempotency-Key` was already used for a different request (another path or body)',
  },
  TOO_MANY_FAILED_AUTHENTICATIONS: {
    status: 429,
    meaning: 'Too many failed authentications from this address; `Retry-After` says when to try again',
  },
  INTERNAL: { status: 500, meaning: 'An unexpected failure; nothing about it is shown' },
  DATABASE_UNAVAILABLE: {
    status: 503,
    meaning:
      'The database cannot be reached or did not answer in time; nothing was written. ' +
      '`Retry-After` says when to try again',
  },
  SHUTTING_DOWN: { status: 503, meaning: 'The server is stopping; reconnect in a moment' },
  COMMIT_OUTCOME_UNKNOWN: {
    status: 504,
    meaning:
      'The database stopped answering while committing: the change may or may not have been applied. ' +
      'Read it back, or retry with the same `Idempotency-Key`',
  },
} as const satisfies Record<string, { status: number; meaning: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

/** The codes answered with this status. */
export const codesWithStatus = (status: number): ErrorCode[] =>
  ERROR_CODE_LIST.filter((c) => ERROR_CODES[c].status === status);
