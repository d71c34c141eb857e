import { parse as parseYaml } from 'yaml';
import { modelJsonSchema, parseModel, shippedModelText } from '../../src/simulation/model';
import { PUBLISHED_FIGURES } from '../../src/simulation/published-figures';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const text = shippedModelText('interpol-2024')!;

/** Every parameter of a model file, with its dotted path. */
function params(node: unknown, at = ''): { path: string; basis: string; fittedTo?: string[]; source: string }[] {
  if (typeof node !== 'object' || node === null || Array.isArray(node)) return [];
  const record = node as Record<string, unknown>;
  if ('basis' in record && 'value' in record) return [{ path: at, ...(record as { basis: string; source: string }) }];
  return Object.entries(record).flatMap(([key, child]) => params(child, at ? `${at}.${key}` : key));
}

describe('the simulation model', () => {
  it('reads the shipped model', () => {
    const parsed = parseModel(text);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.model.review.reviewers).toBeGreaterThan(0);
  });

  it('fits no parameter to a held-out figure, and names a source for every one', () => {
    const all = params(parseYaml(text));
    expect(all.length).toBeGreaterThan(40);
    const heldOut = Object.entries(PUBLISHED_FIGURES)
      .filter(([, figure]) => figure.heldOut)
      .map(([id]) => id);
    expect(heldOut).toEqual(expect.arrayContaining(['redValidEnd2023', 'yellowValidEnd2023', 'redValidEnd2019']));
    for (const p of all) {
      expect({ path: p.path, fittedTo: (p.fittedTo ?? []).filter((id) => heldOut.includes(id)) }).toEqual({
        path: p.path,
        fittedTo: [],
      });
      expect(p.source.trim().length).toBeGreaterThan(0);
    }
  });

  it('names the field of a bad value', () => {
    const bad = text.replace('value: 52', 'value: -3');
    const parsed = parseModel(bad);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.map((p) => p.field)).toContain('review.reviewers.value');
  });

  it('names a fitted parameter that names no published figure', () => {
    const bad = text.replace('fittedTo: [redIssued2024]', 'fittedTo: [redIssued2031]');
    const parsed = parseModel(bad);
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.problems.map((p) => p.field)).toContain('arrivals.red.requestsPerNotice.fittedTo.0');
  });

  it('takes overrides of values, and names an override that fits nothing', () => {
    const parsed = parseModel(text, { review: { reviewers: 40 } });
    expect(parsed.ok && parsed.model.review.reviewers).toBe(40);
    const fitted = parseModel(text, { arrivals: { red: { requestsPerNotice: 1.2 } } });
    expect(fitted.ok && fitted.model.arrivals.red.requestsPerNotice).toBe(1.2);
    const wrong = parseModel(text, { review: { reviewer: 40 } });
    expect(wrong.ok).toBe(false);
    if (!wrong.ok) expect(wrong.problems).toEqual([{ field: 'overrides.review.reviewer', message: 'is not in the model' }]);
  });

  it('ships its JSON Schema as the schema module gives it', () => {
    const shipped = JSON.parse(readFileSync(path.join(__dirname, '../../simulations/model.schema.json'), 'utf8'));
    expect(shipped).toEqual(modelJsonSchema());
  });
});
