import { comparePublished } from '../../src/simulation/calibration';
import { parseModel, shippedModelText } from '../../src/simulation/model';
import { PUBLISHED_FIGURES } from '../../src/simulation/published-figures';
import { simulate } from '../../src/simulation/simulate';

/**
 * The shipped model against INTERPOL's figures (issue 15's calibration): with each of three seeds, every
 * published figure that has a tolerance lies inside the run's 95 % interval widened by that tolerance:
 * the fitted ones (Red and Yellow issued, refused or cancelled) and the held-out stocks that no
 * parameter was fitted to (valid Red and Yellow on 1 January 2024, valid Red at the end of 2019).
 * Full replications, warm-up from 2009 included, on worker threads: the slowest test of the suite.
 */
const REPLICATIONS = 4;

describe('the calibrated model interpol-2024', () => {
  const parsed = parseModel(shippedModelText('interpol-2024'));
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.problems));
  const targets = Object.entries(PUBLISHED_FIGURES)
    .filter(([, f]) => 'tolerance' in f)
    .map(([id]) => id)
    .sort();

  it.each([1, 2, 3])('reproduces the published figures within their tolerance, seed %i', async (seed) => {
    const result = await simulate({ model: parsed.model, modelName: 'interpol-2024', years: 1, seed, replications: REPLICATIONS });
    const rows = comparePublished(result).filter((row) => row.tolerance !== null);
    expect(rows.map((row) => row.id).sort()).toEqual(targets);
    const outside = rows
      .filter((row) => !row.within)
      .map((row) => `${row.id}: published ${row.published}, simulated ${Math.round(row.simulated.mean)} [${row.simulated.ci95.map(Math.round).join(', ')}]`);
    expect(outside).toEqual([]);
  }, 600_000);
});
