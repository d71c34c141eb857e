/**
 * The seeded source of randomness of the simulation and of the synthetic records: a stream
 * (xoroshiro128+, from `pure-rand`), so the same seed gives the same draws, exactly, on every machine.
 * Never `Math.random()` in the engine. A stream split off the seed's with `fork()` is independent of it
 * and of every other fork (each starts 2^64 draws further on, by the generator's jump), so each
 * replication, or each part of a model, draws on its own without changing the others' draws.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { JumpableRandomGenerator } from 'pure-rand/types/JumpableRandomGenerator';

export interface Random {
  /** Uniform in [0, 1), in multiples of 2^-53. */
  uniform(): number;
  /** True with probability `p` (0 to 1). */
  chance(p: number): boolean;
  /** An exponential draw with the given mean (the gaps of a Poisson process of rate 1 / mean). */
  exponential(mean: number): number;
  /** A Poisson count with the given mean (Knuth's method below 30, a rounded normal above). */
  poisson(mean: number): number;
  /** A standard normal draw (Box–Muller). */
  normal(): number;
  /** An index drawn with the given non-negative weights (not all zero). */
  weighted(weights: readonly number[]): number;
  /**
   * A new stream, independent of this one and of every other stream forked from it. Only the seed's own
   * stream forks: jumps lie on one line, so a fork's forks would meet its siblings.
   */
  fork(): Random;
}

/**
 * The sums of weight arrays drawn from, kept per array (the engine draws from the same few again and
 * again); so an array must not change once drawn from, as the engine's never do.
 */
const totals = new WeakMap<readonly number[], number>();

function streamOf(generator: JumpableRandomGenerator, root: boolean): Random {
  // The k-th fork starts k jumps (k · 2^64 draws) past the seed's stream, beyond any draw it will make.
  const forks = generator.clone();
  const random: Random = {
    uniform: () => uniformFloat64(generator),
    chance: (p) => random.uniform() < p,
    exponential: (mean) => -mean * Math.log(1 - random.uniform()),
    poisson(mean) {
      if (mean <= 0) return 0;
      if (mean >= 30) return Math.max(0, Math.round(mean + Math.sqrt(mean) * random.normal()));
      const limit = Math.exp(-mean);
      let count = 0;
      for (let product = random.uniform(); product > limit; product *= random.uniform()) count += 1;
      return count;
    },
    normal() {
      const u = 1 - random.uniform();
      return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random.uniform());
    },
    weighted(weights) {
      let total = totals.get(weights);
      if (total === undefined) totals.set(weights, (total = weights.reduce((sum, w) => sum + w, 0)));
      if (!(total > 0)) throw new RangeError('weighted: the weights sum to zero');
      let left = random.uniform() * total;
      for (let i = 0; i < weights.length; i++) {
        left -= weights[i]!;
        if (left < 0) return i;
      }
      return weights.length - 1;
    },
    fork() {
      if (!root) throw new Error('only the seed’s own stream forks');
      forks.jump();
      return streamOf(forks.clone(), false);
    },
  };
  return random;
}

/** The stream of a seed (an integer; the same seed, the same draws). */
export function randomOf(seed: number): Random {
  if (!Number.isSafeInteger(seed)) throw new RangeError(`seed must be an integer, not ${seed}`);
  return streamOf(xoroshiro128plus(seed), true);
}

/**
 * The `index`-th stream of a seed (index + 1 jumps along the seed's stream), reachable without drawing
 * the ones before it: a replication's streams are the same wherever it runs (a worker, another machine).
 */
export function streamAt(seed: number, index: number): Random {
  const root = randomOf(seed);
  let stream = root;
  for (let i = 0; i <= index; i++) stream = root.fork();
  return stream;
}
