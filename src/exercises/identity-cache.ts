import type { Identity } from './exercise-types';

export type { Identity };

/**
 * Token hash → identity, least recently used first out past `maxEntries`, and each entry dropped
 * `ttlMs` after it was read from the database whatever happens (a backstop should a revocation's
 * message ever be missed). Unknown tokens are never cached: a token created a moment later works at once.
 */
export interface IdentityCache {
  get(tokenHash: string): Identity | undefined;
  /**
   * Taken before a database lookup and handed to `set` with what it found: an eviction or a clear
   * in between (a revocation heard while the lookup ran) keeps the found identity out, since the
   * lookup may have read the row before the revocation committed.
   */
  ticket(): number;
  set(tokenHash: string, identity: Identity, ticket: number): void;
  /** Forgets every token of this participant (it was revoked, or given a new token). */
  evictParticipant(participantId: string): void;
  /** Forgets everything (the revocation listener lost its connection: messages may have been missed). */
  clear(): void;
  /** Until enabled (the revocation listener is listening), `set` caches nothing. */
  enable(): void;
  readonly size: number;
}

export interface IdentityCacheOptions {
  maxEntries: number;
  ttlMs: number;
  /** Monotonic milliseconds; a test's own clock. */
  now?: () => number;
}

interface Entry {
  identity: Identity;
  expiresAt: number;
}

export function createIdentityCache(options: IdentityCacheOptions): IdentityCache {
  const now = options.now ?? (() => performance.now());
  // A Map keeps insertion order: re-inserting on each hit makes its first key the least recently used.
  const entries = new Map<string, Entry>();
  const hashesOf = new Map<string, Set<string>>();
  let changes = 0;
  let enabled = false;

  const remove = (tokenHash: string) => {
    const entry = entries.get(tokenHash);
    if (!entry) return;
    entries.delete(tokenHash);
    const hashes = hashesOf.get(entry.identity.participantId);
    hashes?.delete(tokenHash);
    if (hashes?.size === 0) hashesOf.delete(entry.identity.participantId);
  };

  return {
    get(tokenHash) {
      const entry = entries.get(tokenHash);
      if (!entry) return undefined;
      if (entry.expiresAt <= now()) {
        remove(tokenHash);
        return undefined;
      }
      entries.delete(tokenHash);
      entries.set(tokenHash, entry);
      return entry.identity;
    },
    ticket: () => changes,
    set(tokenHash, identity, ticket) {
      if (!enabled || ticket !== changes || options.maxEntries <= 0) return;
      remove(tokenHash);
      entries.set(tokenHash, { identity, expiresAt: now() + options.ttlMs });
      const hashes = hashesOf.get(identity.participantId) ?? new Set<string>();
      hashes.add(tokenHash);
      hashesOf.set(identity.participantId, hashes);
      while (entries.size > options.maxEntries) remove(entries.keys().next().value!);
    },
    evictParticipant(participantId) {
      changes++;
      for (const tokenHash of hashesOf.get(participantId) ?? []) remove(tokenHash);
    },
    clear() {
      changes++;
      entries.clear();
      hashesOf.clear();
    },
    enable() {
      enabled = true;
    },
    get size() {
      return entries.size;
    },
  };
}
