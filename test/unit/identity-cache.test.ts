import { createIdentityCache, type Identity } from '../../src/exercises/identity-cache';
import { listenForRevocations } from '../../src/exercises/revocations';
import { CHANNELS, inProcessNotifications, type Notifications } from '../../src/db/notifications';

const identity = (participantId: string): Identity => ({
  participantId,
  exerciseId: 'e1',
  role: 'ncb',
  country: 'MC',
  name: null,
  key: null,
});

function cacheAt(options: { maxEntries?: number; ttlMs?: number } = {}) {
  let now = 0;
  const cache = createIdentityCache({
    maxEntries: options.maxEntries ?? 10,
    ttlMs: options.ttlMs ?? 1_000,
    now: () => now,
  });
  cache.enable();
  return { cache, advance: (ms: number) => (now += ms) };
}

describe('the identity cache', () => {
  it('keeps at most its limit, dropping the least recently used first', () => {
    const { cache } = cacheAt({ maxEntries: 2 });
    cache.set('a', identity('p1'), cache.ticket());
    cache.set('b', identity('p2'), cache.ticket());
    expect(cache.get('a')?.participantId).toBe('p1');
    cache.set('c', identity('p3'), cache.ticket());
    expect(cache.size).toBe(2);
    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')?.participantId).toBe('p1');
    expect(cache.get('c')?.participantId).toBe('p3');
  });

  it('forgets an entry once its time limit has passed, however often it is read', () => {
    const { cache, advance } = cacheAt({ ttlMs: 1_000 });
    cache.set('a', identity('p1'), cache.ticket());
    advance(999);
    expect(cache.get('a')).toBeDefined();
    advance(1);
    expect(cache.get('a')).toBeUndefined();
    expect(cache.size).toBe(0);
  });

  it('evicts every token of a participant, and only its own', () => {
    const { cache } = cacheAt();
    cache.set('old', identity('p1'), cache.ticket());
    cache.set('new', identity('p1'), cache.ticket());
    cache.set('other', identity('p2'), cache.ticket());
    cache.evictParticipant('p1');
    expect(cache.get('old')).toBeUndefined();
    expect(cache.get('new')).toBeUndefined();
    expect(cache.get('other')?.participantId).toBe('p2');
  });

  it('keeps out what a lookup found when an eviction or a clear came while it ran', () => {
    const { cache } = cacheAt();
    const before = cache.ticket();
    cache.evictParticipant('p9');
    cache.set('a', identity('p1'), before);
    expect(cache.get('a')).toBeUndefined();
    const again = cache.ticket();
    cache.clear();
    cache.set('a', identity('p1'), again);
    expect(cache.get('a')).toBeUndefined();
    cache.set('a', identity('p1'), cache.ticket());
    expect(cache.get('a')).toBeDefined();
  });

  it('caches nothing until enabled', () => {
    const cache = createIdentityCache({ maxEntries: 10, ttlMs: 1_000 });
    cache.set('a', identity('p1'), cache.ticket());
    expect(cache.get('a')).toBeUndefined();
  });
});

/** In-process notifications whose listener can be told it reconnected. */
function reconnectable(): Notifications & { reconnect(): void } {
  const inner = inProcessNotifications();
  const reconnects: (() => void)[] = [];
  return {
    ...inner,
    listen: (channel, handler, onReconnect) => {
      if (onReconnect) reconnects.push(onReconnect);
      return inner.listen(channel, handler);
    },
    reconnect: () => reconnects.forEach((r) => r()),
  };
}

describe('revocations', () => {
  it('evict the participant named on every message, and settle the revoking request once it is heard back', async () => {
    const notifications = reconnectable();
    const { cache } = cacheAt();
    const revocations = listenForRevocations(notifications, cache);
    await revocations.ready;
    cache.set('a', identity('p1'), cache.ticket());
    let settled = false;
    const echo = revocations.expect(['p1']);
    const heard = echo.heard().then(() => (settled = true));
    await Promise.resolve();
    expect(settled).toBe(false);
    await notifications.notify(CHANNELS.participantRevoked, 'p1');
    await heard;
    expect(cache.get('a')).toBeUndefined();
  });

  it('answer the revoking request only once every process listening has forgotten the participant', async () => {
    // Two processes on one bus; the second's answer is held back, as by a process slow to read its socket.
    const bus = inProcessNotifications();
    const held: (() => Promise<void>)[] = [];
    const slow: Notifications = {
      ...bus,
      notify: async (channel, payload) => {
        if (channel === CHANNELS.revocationHeard) held.push(() => bus.notify(channel, payload));
        else await bus.notify(channel, payload);
      },
    };
    const first = cacheAt().cache;
    const second = cacheAt().cache;
    const revocations = listenForRevocations(bus, first);
    const other = listenForRevocations(slow, second);
    await Promise.all([revocations.ready, other.ready]);
    second.set('b', identity('p1'), second.ticket());
    let settled = false;
    const heard = revocations.expect(['p1']).heard().then(() => (settled = true));
    await bus.notify(CHANNELS.participantRevoked, 'p1');
    await new Promise((resolve) => setImmediate(resolve));
    // Its own answer is in, and the second process has forgotten p1, but has not said so yet.
    expect(second.get('b')).toBeUndefined();
    expect(settled).toBe(false);
    expect(held).toHaveLength(1);
    await held[0]!();
    await heard;
    expect(settled).toBe(true);
  });

  it('clear the whole cache, and release waiting requests, when the listener reconnects', async () => {
    const notifications = reconnectable();
    const { cache } = cacheAt();
    const revocations = listenForRevocations(notifications, cache);
    await revocations.ready;
    cache.set('a', identity('p1'), cache.ticket());
    cache.set('b', identity('p2'), cache.ticket());
    const heard = revocations.expect(['p3']).heard();
    notifications.reconnect();
    await heard;
    expect(cache.size).toBe(0);
  });

  it('report an echo not heard within the time limit, and answer anyway', async () => {
    const late: (readonly string[])[] = [];
    const { cache } = cacheAt();
    const revocations = listenForRevocations(inProcessNotifications(), cache, {
      echoTimeoutMs: 10,
      onTimeout: (ids) => late.push(ids),
    });
    await revocations.ready;
    await revocations.expect(['p1']).heard();
    expect(late).toEqual([['p1']]);
  });

  it('cache nothing when listening failed', async () => {
    const failing: Notifications = { ...inProcessNotifications(), listen: () => Promise.reject(new Error('down')) };
    const errors: unknown[] = [];
    const cache = createIdentityCache({ maxEntries: 10, ttlMs: 1_000 });
    const revocations = listenForRevocations(failing, cache, { onListenFailed: (e) => errors.push(e) });
    await revocations.ready;
    cache.set('a', identity('p1'), cache.ticket());
    expect(cache.get('a')).toBeUndefined();
    expect(errors).toHaveLength(1);
    await revocations.expect(['p1']).heard();
  });
});
