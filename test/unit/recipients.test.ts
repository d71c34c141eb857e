import fc from 'fast-check';
import { MEMBER_COUNTRIES } from '../../src/countries/member-countries';
import { isRecipientOf, recipientsOf } from '../../src/notices/notice-visibility';

const CODES = MEMBER_COUNTRIES.map((c) => c.code);
// A few codes that are not members, so that a restricted list naming one is tried too.
const ANY_CODE = fc.constantFrom(...CODES.slice(0, 12), 'XX', 'ZZ');

describe('isRecipientOf', () => {
  it('answers what recipientsOf(notice).includes(country) answers, for open and restricted notices', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CODES.slice(0, 12)),
        fc.option(fc.uniqueArray(ANY_CODE, { maxLength: 5 }), { nil: null }),
        ANY_CODE,
        (requestingCountry, recipients, country) => {
          const notice = { requestingCountry, recipients };
          expect(isRecipientOf(notice, country)).toBe(recipientsOf(notice).includes(country));
        },
      ),
      { numRuns: 500 },
    );
  });
});
