import { generateRecords } from '../../src/databases/record-generator';
import { CreateRecordBody, kindProblems } from '../../src/databases/record-schemas';

describe('the synthetic records generator', () => {
  it('makes records that pass the import’s checks, of every kind', () => {
    const records = generateRecords({ count: 3000, seed: 7, owner: 'RS' });
    const kinds = new Set<string>();
    for (const [i, record] of records.entries()) {
      const parsed = CreateRecordBody.safeParse(record);
      if (!parsed.success) throw new Error(`record ${i} ${JSON.stringify(record)}: ${parsed.error.message}`);
      const { kind, recipients: _, personId: __, ...data } = parsed.data;
      expect(kindProblems(kind, data)).toEqual([]);
      kinds.add(kind);
    }
    expect([...kinds].sort()).toEqual(['dna', 'fingerprints', 'nominal', 'sltd', 'smv']);
    // A Serbian file writes some names in Cyrillic.
    expect(records.some((r) => r.kind === 'nominal' && /[\u0400-\u04ff]/.test(r.familyName))).toBe(true);
  });

  it('gives the same records for the same seed, and others for another', () => {
    const a = generateRecords({ count: 200, seed: 16, owner: 'DE' });
    expect(generateRecords({ count: 200, seed: 16, owner: 'DE' })).toEqual(a);
    expect(generateRecords({ count: 200, seed: 17, owner: 'DE' })).not.toEqual(a);
  });

  it('follows the mix it is given', () => {
    const records = generateRecords({ count: 500, seed: 1, owner: 'FR', mix: { smv: 1 } });
    expect(records.every((r) => r.kind === 'smv')).toBe(true);
  });
});
