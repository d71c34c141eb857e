import { randomUUID } from 'node:crypto';
import { CHANNELS, type Notifications } from '../db/notifications';
import type { IdentityCache } from './identity-cache';

/**
 * Revocations between processes: a change that stops tokens working sends `participant_revoked`
 * (payload the participant id) in its transaction; every process evicts that participant from its
 * identity cache on receipt, then says so on `revocation_heard` (the participant id and its own id).
 * The revoking process answers once as many processes have said so as listen for revocations on the
 * database (counted after the commit): each of them has then forgotten the participant, so the next
 * request anywhere finds the token revoked. PostgreSQL's own echo would not be enough: it says the
 * message is queued to every listener, not that each one has read it.
 */
export interface Revocations {
  /**
   * Called before the change's transaction, so that no answer can come before it is awaited: `heard`
   * resolves once every process listening has said it forgot each participant (or this listener
   * reconnected, which clears the cache, or after the time limit, reported to `onTimeout`). `cancel`
   * when the change failed.
   */
  expect(participantIds: readonly string[]): { heard: () => Promise<void>; cancel: () => void };
  /** Resolves once listening (or once listening failed: then nothing is ever cached here). */
  readonly ready: Promise<void>;
  stop(): Promise<void>;
}

export interface RevocationOptions {
  /** How long a revoking request waits for every process's answer before answering anyway. */
  echoTimeoutMs?: number;
  onTimeout?: (participantIds: readonly string[]) => void;
  onListenFailed?: (error: unknown) => void;
}

interface Waiter {
  /** The participants not yet heard by enough processes. */
  pending: Set<string>;
  /** For each participant, the processes that said they forgot it. */
  heardBy: Map<string, Set<string>>;
  /** How many processes must: unknown (Infinity) until counted after the commit. */
  needed: number;
  done: () => void;
}

export function listenForRevocations(
  notifications: Notifications,
  cache: IdentityCache,
  options: RevocationOptions = {},
): Revocations {
  const echoTimeoutMs = options.echoTimeoutMs ?? 2_000;
  const self = randomUUID();
  const waiters = new Set<Waiter>();
  let listening: 'starting' | 'yes' | 'failed' = 'starting';
  const unlisten: (() => Promise<void>)[] = [];

  const settle = (waiter: Waiter) => {
    waiters.delete(waiter);
    waiter.done();
  };
  const check = (waiter: Waiter) => {
    for (const id of [...waiter.pending]) {
      if ((waiter.heardBy.get(id)?.size ?? 0) >= waiter.needed) waiter.pending.delete(id);
    }
    if (waiter.pending.size === 0) settle(waiter);
  };
  // Forget first, then say so: whoever waits for this answer may then rely on this process.
  const revoked = (participantId: string) => {
    cache.evictParticipant(participantId);
    notifications.notify(CHANNELS.revocationHeard, `${participantId} ${self}`).catch(() => undefined);
  };
  const heard = (payload: string) => {
    const [participantId = '', by = ''] = payload.split(' ');
    for (const waiter of [...waiters]) {
      if (!waiter.pending.has(participantId)) continue;
      const processes = waiter.heardBy.get(participantId) ?? new Set<string>();
      waiter.heardBy.set(participantId, processes.add(by));
      check(waiter);
    }
  };
  // Messages sent while the connection was down are lost: nothing cached can be trusted, nor waited for.
  const reconnected = () => {
    cache.clear();
    for (const waiter of [...waiters]) settle(waiter);
  };

  const ready = (async () => {
    unlisten.push(await notifications.listen(CHANNELS.revocationHeard, heard, reconnected));
    unlisten.push(await notifications.listen(CHANNELS.participantRevoked, revoked, reconnected));
  })().then(
    () => {
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
      const waiter: Waiter = { pending: new Set(participantIds), heardBy: new Map(), needed: Infinity, done };
      // Not listening (yet or at all): nothing is cached here, and there is no answer to wait for.
      if (listening !== 'yes' || waiter.pending.size === 0) done();
      else waiters.add(waiter);
      return {
        heard: async () => {
          // Counted after the commit: a process that starts listening later never cached the token.
          notifications.listeners(CHANNELS.participantRevoked).then(
            (count) => {
              waiter.needed = Math.max(count, 1);
              check(waiter);
            },
            () => {
              // Not counted: this process's own answer at least.
              waiter.needed = 1;
              check(waiter);
            },
          );
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
      for (const stop of unlisten.splice(0)) await stop();
    },
  };
}
