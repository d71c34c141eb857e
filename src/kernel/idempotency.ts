/**
 * `Idempotency-Key` on creating requests (the IETF httpapi draft's header, Stripe's semantics): a
 * client that does not know whether its request was applied (its answer lost, a 504
 * COMMIT_OUTCOME_UNKNOWN) sends it again with the same key, and gets the first answer again instead
 * of a second resource.
 *
 * A key belongs to its caller (its bearer token, or the anonymous caller) and its operation. Its
 * record keeps a fingerprint of the request (method, path, canonical body) and the answer, and is
 * written by the creating call itself in the transaction that creates (`IdempotentCall.record`): a
 * retry finds both the resource and the record, or neither. Neither is kept readable: the key only
 * as a hash, the answer (which may carry tokens) sealed with AES-256-GCM under a key derived from the
 * Idempotency-Key, so only the client holding it can have the answer replayed.
 */
import { createCipheriv, createDecipheriv, createHash, hkdfSync, randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { configure } from 'safe-stable-stringify';
import { z } from 'zod';
import { bearerTokenOf } from './auth';
import { AppError } from './errors';

export const IDEMPOTENCY_HEADER = 'idempotency-key';
export const REPLAYED_HEADER = 'Idempotent-Replayed';
/** How long a record answers retries. */
export const IDEMPOTENCY_TTL_HOURS = 24;

const KEY_RULE = 'Idempotency-Key must be 1 to 255 visible ASCII characters';

export const IdempotencyKeyHeaders = z.object({
  [IDEMPOTENCY_HEADER]: z
    .string()
    .regex(/^[\x21-\x7e]{1,255}$/, KEY_RULE)
    .optional()
    .meta({
      description:
        `Optional; ${KEY_RULE} (a UUID, new for each new request). Sent again with the same request, it ` +
        `answers the first answer again, with \`${REPLAYED_HEADER}: true\`, and creates nothing; with another ` +
        `path or body, 422 IDEMPOTENCY_KEY_REUSED. Kept ${IDEMPOTENCY_TTL_HOURS} h; a request that fails keeps ` +
        'no key, so its retry runs again',
    }),
});

/** Where a record is found: its caller, its operation and the key's hash. */
export interface IdempotencyRecordId {
  scope: string;
  operation: string;
  keyHash: string;
}

export interface IdempotencyRecord {
  fingerprint: string;
  status: number;
  /** The answer's JSON, sealed. */
  response: Uint8Array;
}

/** The records' store (src/db/idempotency-store.ts). */
export interface IdempotencyRecords {
  /** The key's record if it has not expired. */
  find(id: IdempotencyRecordId): Promise<IdempotencyRecord | null>;
  /**
   * Writes the record in `tx`, the transaction that creates what it answers (an expired record of the
   * same key gives way). False, and nothing written, when a live record of the key exists: one
   * committed by a concurrent request, which the unique index waited for.
   */
  insert(tx: unknown, id: IdempotencyRecordId, record: IdempotencyRecord): Promise<boolean>;
  /** Replaces the answer kept, with what the call learned after its commit. */
  amend(id: IdempotencyRecordId, response: Uint8Array): Promise<void>;
}

/** What a creating call does with the request's key: record its answer in the transaction that creates. */
export interface IdempotentCall {
  record(tx: unknown, answer: unknown): Promise<void>;
}

/**
 * The `record` hook a creating call takes, writing `view(created)` as the answer to replay; none when
 * the request has no key.
 */
export function recordAnswer<T>(
  call: IdempotentCall | undefined,
  view: (created: T) => unknown = (created) => created,
): ((tx: unknown, created: T) => Promise<void>) | undefined {
  return call && ((tx, created) => call.record(tx, view(created)));
}

const canonicalJson = configure({ deterministic: true, strict: true });
const sha256 = (...parts: string[]): string => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part, 'utf8').update('\0');
  return hash.digest('hex');
};

/** The request as its fingerprint sees it, read before validation changes the body. */
const fingerprints = new WeakMap<Request, string>();

/** Takes the request's fingerprint: method, path and canonical JSON body (keys sorted). */
export function takeFingerprint(req: Request, _res: Response, next: NextFunction): void {
  fingerprints.set(req, sha256(req.method, req.baseUrl + req.path, canonicalJson(req.body ?? null) ?? ''));
  next();
}

/** The caller a key belongs to: its bearer token (hashed), or anyone without one. */
const scopeOf = (req: Request): string => {
  const token = bearerTokenOf(req);
  return token === null ? 'anonymous' : sha256('bearer', token);
};

/** Seals and opens the answer with AES-256-GCM under a key derived (HKDF-SHA-256) from the Idempotency-Key. */
function sealer(key: string, id: IdempotencyRecordId) {
  const secret = Buffer.from(hkdfSync('sha256', key, id.scope, 'idempotent answer', 32));
  // The record's place is authenticated with it: a sealed answer moved to another row does not open.
  const aad = Buffer.from(`${id.scope}\0${id.operation}\0${id.keyHash}`, 'utf8');
  return {
    seal(json: string): Uint8Array {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', secret, iv).setAAD(aad);
      const sealed = Buffer.concat([cipher.update(json, 'utf8'), cipher.final()]);
      return Buffer.concat([iv, cipher.getAuthTag(), sealed]);
    },
    open(sealed: Uint8Array): string {
      const bytes = Buffer.from(sealed);
      const decipher = createDecipheriv('aes-256-gcm', secret, bytes.subarray(0, 12))
        .setAAD(aad)
        .setAuthTag(bytes.subarray(12, 28));
      return Buffer.concat([decipher.update(bytes.subarray(28)), decipher.final()]).toString('utf8');
    },
  };
}

/** Thrown in the creating transaction to roll it back: a concurrent request with the key committed first. */
class KeyTaken extends Error {}

/** Tries when concurrent requests keep taking the key first (each try after the first replays, normally). */
const ATTEMPTS = 3;

/**
 * Runs an operation that takes an `Idempotency-Key`: without one, `answer()` as it is; with one, a
 * live record answers (its answer replayed, sent here, so this resolves to nothing; or a 422 for
 * another request), else `answer(call)` runs with the call that records its answer. A concurrent
 * request that recorded the key first makes the creating transaction roll back, and its answer is
 * then replayed.
 */
export function idempotentOperation(records: IdempotencyRecords, operation: string, status: number) {
  return async (req: Request, res: Response, answer: (call?: IdempotentCall) => Promise<unknown>): Promise<unknown> => {
    const key = (req.parsedHeaders as { [IDEMPOTENCY_HEADER]?: string } | undefined)?.[IDEMPOTENCY_HEADER];
    if (key === undefined) return answer();
    const fingerprint = fingerprints.get(req);
    if (fingerprint === undefined) throw new Error(`${operation}: the request's fingerprint was not taken`);
    const id: IdempotencyRecordId = { scope: scopeOf(req), operation, keyHash: sha256('key', key) };
    const { seal, open } = sealer(key, id);

    for (let attempt = 1; ; attempt++) {
      const found = await records.find(id);
      if (found) {
        if (found.fingerprint !== fingerprint) {
          throw new AppError(
            'IDEMPOTENCY_KEY_REUSED',
            'This Idempotency-Key was already used for another request (another path or body); ' +
              'use a new key for a new request',
          );
        }
        res
          .status(found.status)
          .set(REPLAYED_HEADER, 'true')
          .set('Cache-Control', 'no-store')
          .type('application/json')
          .send(open(found.response));
        return undefined;
      }
      let recorded: string | undefined;
      const call: IdempotentCall = {
        async record(tx, answered) {
          recorded = JSON.stringify(answered);
          if (!(await records.insert(tx, id, { fingerprint, status, response: seal(recorded) }))) throw new KeyTaken();
        },
      };
      try {
        const result = await answer(call);
        if (recorded === undefined) {
          req.log.error({ operation }, 'the Idempotency-Key was not recorded: a retry would create again');
        } else if (JSON.stringify(result) !== recorded) {
          // Learned after the commit (a scenario's injects fired before the answer): best effort, as the
          // resource exists already; a retry then replays the answer as it was at the commit.
          await records.amend(id, seal(JSON.stringify(result))).catch((err: unknown) => {
            req.log.warn({ err, operation }, 'the answer kept for the Idempotency-Key could not be updated');
          });
        }
        return result;
      } catch (error) {
        if (!(error instanceof KeyTaken) || attempt >= ATTEMPTS) throw error;
      }
    }
  };
}
