// @ts-check
/** Database records, hits and who found them, in words (the databases page and the person page). */
import { countryName } from './format.js';
import { label } from './labels.js';
import { roleWords } from './people.js';

/** @typedef {Record<string, any> & { id: string, kind: string, ownerCountry: string }} DbRecord */

/** A match's score as people read it: "97 %". */
export const percent = (/** @type {number} */ score) => `${Math.round(score * 100)} %`;

/** Who searched or acted: its country's name, or its role in words. */
export const who = (/** @type {{ role: string, country?: string }} */ a) =>
  a.country ? countryName(a.country) : roleWords(a);

/** What a record says, in a line: the name and date of birth, the document, the vehicle… */
export function recordWords(/** @type {DbRecord} */ r) {
  switch (r.kind) {
    case 'nominal':
      return [
        `${r.forename} ${r.familyName}`,
        r.dateOfBirth && `born ${r.dateOfBirth}`,
        r.offences?.length && `linked to: ${r.offences.join('; ')}`,
      ]
        .filter(Boolean)
        .join(', ');
    case 'fingerprints':
      return `Print set ${r.template}${r.description ? ` (${r.description})` : ''}`;
    case 'dna':
      return 'A DNA profile';
    case 'sltd':
      return `${r.documentType.replace('_', ' ')} ${r.documentNumber} of ${countryName(r.issuingCountry)}: ${label(
        'lossKinds',
        r.lossKind,
      )}`;
    case 'smv':
      return [
        r.make,
        r.model,
        r.colour,
        `VIN ${r.vin}`,
        r.plate && `plate ${r.plate}`,
        r.stolenOn && `stolen ${r.stolenOn}`,
      ]
        .filter(Boolean)
        .join(', ');
    default:
      return r.kind;
  }
}
