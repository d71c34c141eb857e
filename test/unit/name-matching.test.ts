import pairs from '../fixtures/name-pairs.json';
import { HIT_THRESHOLD, nameScore, personScore } from '../../src/databases/matchers';
import { nameKey } from '../../src/kernel/name-keys';

type Side = [string, string];
const score = ([f1, g1]: Side, [f2, g2]: Side) => nameScore(nameKey(f1, g1)!, nameKey(f2, g2)!);

describe('name matching on the labelled pairs', () => {
  it('finds the same person however written, and no near miss: precision and recall', () => {
    const same = (pairs.same as [Side, Side, string][]).map(([a, b, why]) => ({ why, hit: score(a, b) >= HIT_THRESHOLD }));
    const different = (pairs.different as [Side, Side, string][]).map(([a, b, why]) => ({
      why,
      hit: score(a, b) >= HIT_THRESHOLD,
    }));
    const truePositives = same.filter((p) => p.hit).length;
    const falsePositives = different.filter((p) => p.hit).length;
    const precision = truePositives / (truePositives + falsePositives);
    const recall = truePositives / same.length;
    console.log(
      `name matching: precision ${precision.toFixed(3)}, recall ${recall.toFixed(3)} on ${same.length} same and ` +
        `${different.length} different pairs (threshold ${HIT_THRESHOLD})`,
    );
    expect(same.filter((p) => !p.hit).map((p) => p.why)).toEqual([]);
    expect(different.filter((p) => p.hit).map((p) => p.why)).toEqual([]);
    expect(precision).toBe(1);
    expect(recall).toBe(1);
  });

  it('scores the same name 1 whichever side it is searched from, and lets a date of birth decide', () => {
    expect(score(['Petrović', 'Marko'], ['Марко', 'Петровић'])).toBe(1);
    const close = score(['Petrovik', 'Marko'], ['Petrovic', 'Marko']);
    expect(personScore(close, '1979-03-14', '1979-03-14')).toBeGreaterThan(close);
    expect(personScore(1, '1979-03-14', '1981-07-02')).toBeLessThan(HIT_THRESHOLD);
    expect(personScore(close, '1979-03-14', null)).toBeLessThan(close);
    expect(personScore(close, undefined, '1979-03-14')).toBe(close);
  });
});
