/**
 * How a search scores what it finds. Names: the database picks candidates by trigram similarity of
 * their keys (pg_trgm, under its index), then each candidate is scored here word by word, so that a
 * typo in one name costs that name only and a different forename is not hidden by a shared family
 * name. Prints and DNA: a simulated matcher on synthetic templates.
 */
import damerauLevenshtein from 'damerau-levenshtein';

/** A score at or above this is a hit. Set on the labelled name pairs of test/unit/name-matching.test.ts. */
export const HIT_THRESHOLD = 0.83;

/** Similarity of two words, 1 for the same: one minus their edit distance (a swap of two letters is one edit) over
 * the longer. */
export function wordSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const longer = Math.max(a.length, b.length);
  return longer === 0 ? 1 : Math.max(0, 1 - damerauLevenshtein(a, b).steps / longer);
}

/**
 * How well a name key (words sorted, record-keys.ts) matches the one searched, from whichever side
 * matches better: an extra word on either side (a middle name) costs nothing.
 */
export function nameScore(searched: string, candidate: string): number {
  return Math.max(oneWay(searched, candidate), oneWay(candidate, searched));
}

/**
 * Each word of `searched` paired with one word of `candidate`, best pairs first, and the pairs'
 * similarities averaged, each weighed by the longer word of its pair (so that "Ana" found inside
 * "Ivana" weighs as much as Ivana); a searched word left without a partner counts 0 at its length.
 */
function oneWay(searched: string, candidate: string): number {
  const wanted = searched.split(' ').filter(Boolean);
  const found = candidate.split(' ').filter(Boolean);
  const pairs = wanted
    .flatMap((w, i) => found.map((f, j) => ({ i, j, score: wordSimilarity(w, f) })))
    .sort((a, b) => b.score - a.score || a.i - b.i || a.j - b.j);
  const taken = { wanted: new Set<number>(), found: new Set<number>() };
  let total = 0;
  let weight = 0;
  for (const pair of pairs) {
    if (taken.wanted.has(pair.i) || taken.found.has(pair.j)) continue;
    taken.wanted.add(pair.i);
    taken.found.add(pair.j);
    const longer = Math.max(wanted[pair.i]!.length, found[pair.j]!.length);
    total += pair.score * longer;
    weight += longer;
  }
  wanted.forEach((w, i) => {
    if (!taken.wanted.has(i)) weight += w.length;
  });
  return weight === 0 ? 0 : total / weight;
}

/**
 * A name's score with the dates of birth: the same date adds a little, another date (both known) makes
 * it another person's, below the threshold however alike the names; a date searched for that the
 * candidate does not have takes a little off, so that the same name with the same date comes first.
 */
export function personScore(nameScoreValue: number, searchedBirth?: string | null, candidateBirth?: string | null) {
  if (!searchedBirth) return nameScoreValue;
  if (!candidateBirth) return nameScoreValue * 0.98;
  return searchedBirth === candidateBirth ? Math.min(1, nameScoreValue + 0.05) : nameScoreValue * 0.75;
}

/** The simulated print and DNA matcher's error rates: 0 in an exercise, realistic values in the world simulation. */
export interface MatcherRates {
  falseMatch: number;
  falseNonMatch: number;
}

export const EXERCISE_MATCHER: MatcherRates = { falseMatch: 0, falseNonMatch: 0 };

/** A number in [0, 1) from a string, the same for the same string (FNV-1a): the matcher's seeded noise. */
export function unitHash(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash / 2 ** 32;
}

/**
 * The matcher's score of a searched template against a recorded one: a mark of the same print set (or
 * the same profile) scores high, with noise seeded by the pair and `seed`; another scores low. A false
 * non-match drops a true pair below the threshold, a false match lifts another above it, at `rates`.
 */
export function templateScore(searched: string, recorded: string, seed: string, rates: MatcherRates): number {
  const noise = unitHash(`${seed}|${searched}|${recorded}`);
  const draw = unitHash(`${seed}|${recorded}|${searched}|error`);
  if (searched === recorded) {
    return draw < rates.falseNonMatch ? HIT_THRESHOLD * noise : HIT_THRESHOLD + (1 - HIT_THRESHOLD) * (0.5 + noise / 2);
  }
  return draw < rates.falseMatch ? HIT_THRESHOLD + (1 - HIT_THRESHOLD) * noise * 0.5 : 0.5 * noise;
}
