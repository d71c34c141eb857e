import { parse as parseYaml } from 'yaml';
import { seriesValue } from '../../src/simulation/sim-state';
import { parseModel, shippedModelText, type Model } from '../../src/simulation/model';
import { combine, replicate } from '../../src/simulation/run';

/** The shipped model with a one-year warm-up, so that a replication takes a second, not a minute. */
function shortModel(): Model {
  const data = parseYaml(shippedModelText('interpol-2024')!) as Record<string, unknown>;
  const parsed = parseModel({ ...data, warmUpFrom: '2023-01-01' });
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  return parsed.model;
}

describe('the simulation engine', () => {
  const model = shortModel();
  const one = replicate({ model, years: 1, seed: 42 }, 0);

  it('gives the same figures for the same seed and replication', () => {
    expect(replicate({ model, years: 1, seed: 42 }, 0).figures).toEqual(one.figures);
  });

  it('gives other figures for another seed or replication', () => {
    expect(replicate({ model, years: 1, seed: 43 }, 0).figures).not.toEqual(one.figures);
    expect(replicate({ model, years: 1, seed: 42 }, 1).figures).not.toEqual(one.figures);
  });

  it('combines replications into result.json’s figures, in replication order', () => {
    const two = replicate({ model, years: 1, seed: 42 }, 1);
    const spec = { model, years: 1, seed: 42, modelName: 'short' };
    const result = combine(spec, [one, two], { wallSeconds: 1, replicationSeconds: [0.5, 0.5] });
    expect(result.figures.redIssued.values).toEqual([one.figures.redIssued, two.figures.redIssued]);
    expect(result.figures.redIssued.ci95[0]).toBeLessThanOrEqual(result.figures.redIssued.mean);
    expect(result.stockByYear['2023']!.red).toBe((one.stockByYear['2023']!.red + two.stockByYear['2023']!.red) / 2);
    expect(result.series.backlogDaily).toHaveLength(366);
    expect(result.timings.events).toBe(one.events + two.events);
  });

  it('issues, refuses and reviews in the proportions the model sets', () => {
    const f = one.figures;
    expect(f.redIssued).toBeGreaterThan(13_000);
    expect(f.redIssued).toBeLessThan(18_000);
    expect(f.reviewsCompleted).toBe(
      f.redIssued + f.yellowIssued + f.redRefused + f.yellowRefused + f.redRefusedBySystem + f.yellowRefusedBySystem,
    );
    expect(f.gsUtilisation).toBeGreaterThan(0.5);
    expect(f.gsUtilisation).toBeLessThan(1);
    expect(f.reviewDaysP50).toBeLessThanOrEqual(f.reviewDaysP95);
    expect(f.surrenders).toBeLessThanOrEqual(f.provisionalArrests + 50);
    expect(one.stockByYear['2023']!.red).toBe(f.redValidAtStart);
  });

  it('forms a backlog when review capacity drops by a fifth', () => {
    const fewer = { ...model, review: { ...model.review, reviewers: Math.round(model.review.reviewers * 0.8) } };
    const less = replicate({ model: fewer, years: 1, seed: 42 }, 0).figures;
    expect(less.gsUtilisation).toBeGreaterThan(one.figures.gsUtilisation * 1.15);
    expect(less.gsBacklogMean).toBeGreaterThan(one.figures.gsBacklogMean);
    expect(less.reviewDaysMean).toBeGreaterThan(one.figures.reviewDaysMean);
  });

  it('interpolates a series between its years, grows it back before and holds it after', () => {
    const values = { '2018': 100, '2020': 200 };
    expect(seriesValue(values, 2019, 0.1, 'flat')).toBe(150);
    expect(seriesValue(values, 2017, 0.25, 'flat')).toBe(80);
    expect(seriesValue(values, 2022, 0, 'flat')).toBe(200);
    expect(seriesValue(values, 2022, 0, 'trend')).toBe(300);
  });
});
