import type { ExerciseClock } from './clock';
import type { ExerciseStore, Principal } from './exercise-types';
import type { Identity, IdentityCache } from './identity-cache';
import type { Revocations } from './revocations';

const principalOf = (identity: Identity, clock: ExerciseClock): Principal => ({
  participantId: identity.participantId,
  exerciseId: identity.exerciseId,
  role: identity.role,
  ...(identity.country && { country: identity.country }),
  clock,
});

/**
 * The exercise store with tokens resolved through the identity cache: a hit reads only the exercise's
 * clock (by primary key), a miss the participant with its exercise's clock, in one statement. The
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

  return {
    ...store,

    async principalByTokenHash(tokenHash) {
      const cached = cache.get(tokenHash);
      if (cached) {
        // Who the token names is cached; the clock never is (a pause must be seen by the next request).
        const clock = await store.clock(cached.exerciseId);
        return clock && principalOf(cached, clock);
      }
      const ticket = cache.ticket();
      const found = await store.identityByTokenHash(tokenHash);
      if (!found) return null;
      cache.set(tokenHash, found.identity, ticket);
      return principalOf(found.identity, found.clock);
    },

    replaceTokens: (exerciseId, tokens) =>
      revoking(
        tokens.map((t) => t.participantId),
        () => store.replaceTokens(exerciseId, tokens),
      ),

    revokeParticipant: (exerciseId, participantId, at) =>
      revoking([participantId], () => store.revokeParticipant(exerciseId, participantId, at)),
  };
}
