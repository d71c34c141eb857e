/**
 * The search keys of database records, derived from what the owner gave on every write: searches match
 * on these columns, never on the text as typed.
 *
 * - Names: the key the subjects of notices have too (kernel/name-keys.ts), transliterated and sorted.
 * - Documents, VINs and plates: upper case without spaces, dashes or dots; a document with its issuing
 *   country, a plate with its registration country.
 */
import anyAscii from 'any-ascii';
import { nameKey } from '../kernel/name-keys';

/** A document number, VIN or plate as compared: upper case, without spaces, dashes, dots or slashes. */
export const compactCode = (text: string): string =>
  anyAscii(text)
    .toUpperCase()
    .replace(/[\s\-./]+/g, '');

/** The key of a travel document: its issuing country and its number. */
export const documentKey = (issuingCountry: string, documentNumber: string) =>
  `${issuingCountry}:${compactCode(documentNumber)}`;

/** The key of a registration plate: its country and its characters. */
export const plateKey = (registrationCountry: string, plate: string) => `${registrationCountry}:${compactCode(plate)}`;

/** Letters and digits of a VIN (ISO 3779): no I, O or Q, which read as 1 and 0. */
export const VIN_PATTERN = /^[A-HJ-NPR-Z0-9]{17}$/;

const VIN_VALUES: Readonly<Record<string, number>> = Object.fromEntries(
  [...'0123456789']
    .map((d) => [d, Number(d)] as [string, number])
    .concat(
      [...'ABCDEFGH'].map((c, i) => [c, i + 1]),
      [...'JKLMN'].map((c, i) => [c, i + 1]),
      [
        ['P', 7],
        ['R', 9],
      ],
      [...'STUVWXYZ'].map((c, i) => [c, i + 2]),
    ),
);
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** The check digit (its 9th character) a VIN must carry under 49 CFR 565: 0-9 or X. */
export function vinCheckDigit(vin: string): string {
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (VIN_VALUES[vin[i]!] ?? 0) * VIN_WEIGHTS[i]!;
  const remainder = sum % 11;
  return remainder === 10 ? 'X' : String(remainder);
}

/**
 * Whether a VIN's format requires the check digit: vehicles made for North America (a first character
 * 1-5) and China (L). Elsewhere (Europe's W, V, Z, S…) the 9th character is the maker's own.
 */
export const vinHasCheckDigit = (vin: string) => /^[1-5L]/.test(vin);

/** What is wrong with a VIN (already compacted), or null. */
export function vinProblem(vin: string): string | null {
  if (!VIN_PATTERN.test(vin)) return 'must be 17 letters and digits, without I, O or Q';
  if (vinHasCheckDigit(vin) && vin[8] !== vinCheckDigit(vin)) {
    return `has the check digit "${vin[8]}" where its other characters give "${vinCheckDigit(vin)}"`;
  }
  return null;
}

/** The columns a record's search keys go to (src/databases/record-store.ts). */
export interface RecordKeys {
  nameKey: string | null;
  birthDate: string | null;
  documentKey: string | null;
  vin: string | null;
  plateKey: string | null;
  template: string | null;
}

/** A record's keys, from its kind and fields (as validated by record-schemas.ts). */
export function keysOf(kind: string, data: Readonly<Record<string, unknown>>): RecordKeys {
  const text = (key: string) => (typeof data[key] === 'string' ? (data[key] as string) : undefined);
  const keys: RecordKeys = {
    nameKey: null,
    birthDate: null,
    documentKey: null,
    vin: null,
    plateKey: null,
    template: null,
  };
  if (kind === 'nominal') {
    keys.nameKey = nameKey(text('familyName'), text('forename'));
    keys.birthDate = text('dateOfBirth') ?? null;
  } else if (kind === 'fingerprints') keys.template = text('template') ?? null;
  else if (kind === 'dna') keys.template = text('profile') ?? null;
  else if (kind === 'sltd') {
    const number = text('documentNumber');
    const country = text('issuingCountry');
    keys.documentKey = number && country ? documentKey(country, number) : null;
  } else if (kind === 'smv') {
    const vin = text('vin');
    const plate = text('plate');
    const country = text('registrationCountry');
    keys.vin = vin ? compactCode(vin) : null;
    keys.plateKey = plate && country ? plateKey(country, plate) : null;
  }
  return keys;
}
