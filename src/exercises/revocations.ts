import { CHANNELS, type Notifications } from '../db/notifications';
import type { IdentityCache } from './identity-cache';

/**
 * Revocations between processes: a change that stops tokens working sends `participant_revoked`
 * (payload the participant id) in its transaction; every process evicts that participant from its
 * identity cache on receipt. The revoking process waits until its own listener has heard its message
 * back before it answers: PostgreSQL has then queued it to every listening process.
 */
export interface Revocations {
  /**
   * Called before the change's transaction, so that no echo can come before it is awaited: `heard`
   * resolves once each participant's message came back (or the listener reconnected, which clears
   * the cache, or after the time limit, reported to `onTimeout`). `cancel` when the change failed.
   */
  expect(participantIds: readonly string[]): { heard: () => Promise<void>; cancel: () => void };
  /** Resolves once listening (or once listening failed: then nothing is ever cached here). */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

export interface RevocationOptions {
  /** How long a revoking request waits for its own message back before answering anyway. */
  echoTimeoutMs?: number;
  onTimeout?: (participantIds: readonly string[]) => void;
  onListenFailed?: (error: unknown) => void;
}

interface Waiter {
  pending: Map<string, number>;
  done: () => void;
}

export function listenForRevocations(
  notifications: Notifications,
  cache: IdentityCache,
  options: RevocationOptions = {},
): Revocations {
  const echoTimeoutMs = options.echoTimeoutMs ?? 2_000;
  const waiters = new Set<Waiter>();
  let listening: 'starting' | 'yes' | 'failed' = 'starting';
  let unlisten: (() => Promise<void>) | undefined;

  const settle = (waiter: Waiter) => {
    waiters.delete(waiter);
    waiter.done();
  };
  const heard = (participantId: string) => {
    cache.evictParticipant(participantId);
    for (const waiter of [...waiters]) {
      const left = waiter.pending.get(participantId);
      if (left === undefined) continue;
      if (left > 1) waiter.pending.set(participantId, left - 1);
      else waiter.pending.delete(participantId);
      if (waiter.pending.size === 0) settle(waiter);
    }
  };
  // Messages sent while the connection was down are lost: nothing cached can be trusted, nor waited for.
  const reconnected = () => {
    cache.clear();
    for (const waiter of [...waiters]) settle(waiter);
  };

  const ready = notifications.listen(CHANNELS.participantRevoked, heard, reconnected).then(
    (stop) => {
      unlisten = stop;
      listening = 'yes';
      cache.enable();
    },
    (error: unknown) => {
      listening = 'failed';
      options.onListenFailed?.(error);
    },
  );

  return {
    ready,
    expect(participantIds) {
      let done!: () => void;
      const settled = new Promise<void>((resolve) => (done = resolve));
      const pending = new Map<string, number>();
      for (const id of participantIds) pending.set(id, (pending.get(id) ?? 0) + 1);
      const waiter: Waiter = { pending, done };
      // Not listening (yet or at all): nothing is cached here, and there is no echo to wait for.
      if (listening !== 'yes' || pending.size === 0) done();
      else waiters.add(waiter);
      return {
        heard: async () => {
          let timer: NodeJS.Timeout | undefined;
          const timedOut = new Promise<boolean>((resolve) => {
            timer = setTimeout(() => resolve(true), echoTimeoutMs);
          });
          const late = await Promise.race([settled.then(() => false), timedOut]);
          clearTimeout(timer);
          if (late) {
            waiters.delete(waiter);
            options.onTimeout?.(participantIds);
          }
        },
        cancel: () => settle(waiter),
      };
    },
    async stop() {
      for (const waiter of [...waiters]) settle(waiter);
      await unlisten?.();
    },
  };
}
