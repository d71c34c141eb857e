import { randomOf } from '../../src/kernel/random';
import { FIGURE_NAMES, summarise, summariseReplications, type FigureName } from '../../src/simulation/result';

describe('a simulation’s figures over its replications', () => {
  it('gives the mean and the t interval of the values, and the values in order', () => {
    // Mean 3, sample deviation √2.5, t(0.975; 4) = 2.776445: half-width 2.776445 · √(2.5 / 5) = 1.963243.
    const figure = summarise([5, 1, 3, 2, 4]);
    expect(figure.mean).toBe(3);
    expect(figure.ci95[0]).toBeCloseTo(1.036757, 5);
    expect(figure.ci95[1]).toBeCloseTo(4.963243, 5);
    expect(figure.values).toEqual([5, 1, 3, 2, 4]);
    expect(summarise([7])).toEqual({ mean: 7, ci95: [7, 7], values: [7] });
    expect(summarise([2, 2, 2]).ci95).toEqual([2, 2]);
  });

  it('covers the true mean about 95 times in 100', () => {
    const random = randomOf(95);
    let covered = 0;
    const experiments = 2000;
    for (let i = 0; i < experiments; i++) {
      const { ci95 } = summarise(Array.from({ length: 8 }, () => 10 + 2 * random.normal()));
      if (ci95[0] <= 10 && 10 <= ci95[1]) covered += 1;
    }
    expect(covered / experiments).toBeGreaterThan(0.93);
    expect(covered / experiments).toBeLessThan(0.97);
  });

  it('refuses what is no figure, and a replication that misses one', () => {
    expect(() => summarise([])).toThrow(RangeError);
    expect(() => summarise([1, Number.NaN])).toThrow(RangeError);
    const full = Object.fromEntries(FIGURE_NAMES.map((name, i) => [name, i])) as Record<FigureName, number>;
    const figures = summariseReplications([full, { ...full, redIssued: 100 }]);
    expect(Object.keys(figures)).toEqual([...FIGURE_NAMES]);
    expect(figures.redIssued.values).toEqual([0, 100]);
    const { redIssued: _missing, ...partial } = full;
    expect(() => summariseReplications([full, partial as Record<FigureName, number>])).toThrow(
      /replication 2 has no figure redIssued/,
    );
  });
});
