import { principalOfIdentity as principalOf, type Caller, type ExerciseStore } from './exercise-types';
import type { IdentityCache } from './identity-cache';
import type { Revocations } from './revocations';

/**
 * The exercise store with tokens resolved through the identity cache: a hit reads nothing for a caller
 * (its route reads the clock with its first statement) and only the exercise's clock (by primary key)
 * for a principal; a miss reads the participant with its exercise's clock, in one statement. The
 * changes that stop tokens working (`replaceTokens`, `revokeParticipant`, which send
 * `participant_revoked` in their transaction) make this process forget those participants at once,
 * and answer only once their messages came back, when every other process listening has them queued.
 */
export function withIdentityCache(
  store: ExerciseStore,
  identities: { cache: IdentityCache; revocations: Revocations },
): ExerciseStore {
  const { cache, revocations } = identities;

  async function revoking<T>(participantIds: readonly string[], change: () => Promise<T | null>): Promise<T | null> {
    const echo = revocations.expect(participantIds);
    let result: T | null;
    try {
      result = await change();
    } catch (error) {
      echo.cancel();
      throw error;
    }
    // Null: nothing was changed, nothing sent.
    if (result === null) {
      echo.cancel();
      return null;
    }
    for (const id of participantIds) cache.evictParticipant(id);
    await echo.heard();
    return result;
  }

  // A hit reads nothing; a miss reads the participant with its exercise's clock, in one statement.
  async function callerByTokenHash(tokenHash: string): Promise<Caller | null> {
    const cached = cache.get(tokenHash);
    if (cached) return { identity: cached, clock: null };
    const ticket = cache.ticket();
    const found = await store.identityByTokenHash(tokenHash);
    if (!found) return null;
    cache.set(tokenHash, found.identity, ticket);
    return found;
  }

  return {
    ...store,

    principalByTokenHash: async (tokenHash) => {
      const caller = await callerByTokenHash(tokenHash);
      if (!caller) return null;
      // Who the token names is cached; the clock never is (a pause must be seen by the next request).
      const clock = caller.clock ?? (await store.clock(caller.identity.exerciseId));
      return clock && principalOf(caller.identity, clock);
    },

    callerByTokenHash,

    replaceTokens: (exerciseId, tokens) =>
      revoking(
        tokens.map((t) => t.participantId),
        () => store.replaceTokens(exerciseId, tokens),
      ),

    revokeParticipant: (exerciseId, participantId, at) =>
      revoking([participantId], () => store.revokeParticipant(exerciseId, participantId, at)),
  };
}
