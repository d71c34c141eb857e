import type { EventEmitter } from 'node:events';
import type { Request, RequestHandler } from 'express';
import { z } from 'zod';
import { principalOf } from '../exercises/exercise-auth';
import { ExerciseIdParams } from '../exercises/exercise-schemas';
import { AppError, NotFoundError } from '../kernel/errors';
import type { Routes } from '../kernel/routes';
import { formatPosition, parsePosition, type EventFeed } from './event-feed';
import { StreamMessage } from './stream-schema';

const StreamQuery = z.strictObject({
  from: z
    .enum(['now', 'start'], { error: 'must be now or start' })
    .default('now')
    .meta({ description: 'without Last-Event-ID: only new events, or the whole history first' }),
});

const StreamHeaders = z.object({
  'last-event-id': z
    .string()
    .regex(/^\d{1,15}$/, 'must be an id this stream sent')
    .optional()
    .meta({ description: 'the id of the last message received: the stream resumes after it (0: from the start)' }),
});

export interface StreamOptions {
  /** How often to look for events written by other processes (ms). */
  pollMs?: number;
  heartbeatMs?: number;
  /** How often to check that the caller's token has not been revoked (ms). */
  recheckMs?: number;
}

/**
 * Server-Sent Events: every history event of the exercise once its transaction has committed and it
 * has its position, each with an `id`; a client reconnecting with `Last-Event-ID` gets exactly what it
 * missed. `commit` wakes the stream at once: a change in this process, or one numbered by any process
 * on the database (heard through LISTEN exercise_events, server.ts). `reread` (the listening connection
 * was lost, and messages with it) wakes every stream; the poll every `pollMs` is the last fallback.
 */
export function registerStreamRoutes(
  routes: Routes,
  deps: {
    feed: EventFeed;
    commits: EventEmitter;
    auth: RequestHandler[];
    /** Whether the caller's token still stands (it may be revoked while the stream runs). */
    stillValid: (req: Request) => Promise<boolean>;
    options?: StreamOptions;
  },
): void {
  const pollMs = deps.options?.pollMs ?? 1000;
  const heartbeatMs = deps.options?.heartbeatMs ?? 15_000;
  const recheckMs = deps.options?.recheckMs ?? 5_000;
  // Once the server stops, streams end and new ones are turned away, so that it can stop.
  let shuttingDown = false;
  deps.commits.once('shutdown', () => {
    shuttingDown = true;
  });

  routes.define({
    method: 'get',
    path: '/api/exercises/:id/stream',
    operationId: 'streamExerciseEvents',
    summary: 'Live stream of the exercise’s events (Server-Sent Events)',
    description:
      'Each message is `event: notice-event` with an `id` and a JSON `data` (StreamEvent), sent once its ' +
      'transaction has committed; an ncb gets only what it may see. A reset of the exercise is `event: reset` with ' +
      'its own `id` and `data` `{ run, clock }` (StreamReset): the run it started and its clock; lists show that run ' +
      'from then on, and ids keep rising across runs. Reconnect with `Last-Event-ID` to get exactly ' +
      'what was missed (0: from the start). The first message, `event: ready`, carries the starting position ' +
      'as its id.',
    tags: ['stream'],
    before: deps.auth,
    params: ExerciseIdParams,
    query: StreamQuery,
    headers: StreamHeaders,
    response: StreamMessage,
    responseMedia: 'text/event-stream',
    errors: [404, 503],
    handler: async ({ params, query, headers, req, res }) => {
      const principal = principalOf(req);
      if (principal.exerciseId !== params.id) throw new NotFoundError('Exercise');
      if (shuttingDown) throw new AppError('SHUTTING_DOWN', 'The server is stopping; reconnect in a moment');
      // Position 0 is before the first event: a reconnect from an empty exercise's `ready` (id 0) resumes there.
      const resumeAt = headers['last-event-id'] === undefined ? null : parsePosition(headers['last-event-id']);
      let position = resumeAt ?? (query.from === 'start' ? 0 : await deps.feed.now(params.id));
      const reader = { role: principal.role, country: principal.country };

      res.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        'x-accel-buffering': 'no',
      });
      res.write(`retry: 2000\nevent: ready\nid: ${formatPosition(position)}\ndata: {}\n\n`);

      let closed = false;
      // A commit noticed while the feed was being read must not wait for the next poll.
      let dirty: boolean;
      let wake: (() => void) | null = null;
      const onCommit = (exerciseId: string) => {
        if (exerciseId !== params.id) return;
        dirty = true;
        wake?.();
      };
      const onReread = () => {
        dirty = true;
        wake?.();
      };
      const stop = () => {
        closed = true;
        wake?.();
      };
      deps.commits.on('commit', onCommit);
      deps.commits.on('reread', onReread);
      // The server stopping ends every stream (clients reconnect with their last id).
      deps.commits.once('shutdown', stop);
      req.on('close', stop);
      if (shuttingDown) stop();
      let lastWrite = Date.now();
      let lastCheck = Date.now();
      try {
        while (!closed) {
          // A revoked token's stream ends (its next connection gets 401).
          if (Date.now() - lastCheck >= recheckMs) {
            lastCheck = Date.now();
            if (!(await deps.stillValid(req))) break;
          }
          dirty = false;
          const events = await deps.feed.after(params.id, position, reader);
          for (const { position: at, event, data } of events) {
            res.write(`id: ${formatPosition(at)}\nevent: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
            position = at;
            lastWrite = Date.now();
          }
          if (events.length === 500 || dirty) continue;
          if (Date.now() - lastWrite >= heartbeatMs) {
            res.write(': keep-alive\n\n');
            lastWrite = Date.now();
          }
          await new Promise<void>((resolve) => {
            const timer = setTimeout(resolve, pollMs);
            wake = () => {
              clearTimeout(timer);
              resolve();
            };
          });
          wake = null;
        }
      } catch (err) {
        // The stream has started: a failure can only end it; the client reconnects with its last id.
        req.log.error({ err }, 'event stream failed');
      } finally {
        deps.commits.off('commit', onCommit);
        deps.commits.off('reread', onReread);
        deps.commits.off('shutdown', stop);
        res.end();
      }
      return undefined;
    },
  });
}
