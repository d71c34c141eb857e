import type { RedRequest, YellowRequest } from './notice-types';

/**
 * The domain's seed cases as requests that pass every compliance check: the API documentation shows
 * them as examples, and the tests and the benchmark start from them.
 */

/** Monaco's request: a man identified by fingerprints found at a crime scene, wanted in several countries. */
export const MONACO_RED_REQUEST: RedRequest = {
  type: 'RED',
  subject: {
    familyName: 'PETROVIC',
    forename: 'Marko',
    sex: 'male',
    dateOfBirth: '1984-03-12',
    nationalities: ['RS'],
    fingerprintsRef: 'MC-AFIS-2026-0147',
    description: 'Scar on the left hand',
  },
  offence: {
    category: 'armed_robbery',
    summary: 'Armed robbery of a jewellery store in Monte-Carlo',
    law: 'Code pénal monégasque, art. 309',
    maxPenaltyYears: 20,
    basis: 'prosecution',
    warrant: { reference: 'MC-2026-AW-031', issuedOn: '2026-10-02', authority: 'Juge d’instruction, Monaco' },
  },
  extraditionFrom: ['FR', 'IT', 'RS'],
  publicExtractConsent: true,
};

/** A child who did not come home from school in Monte-Carlo. */
export const MISSING_CHILD_YELLOW_REQUEST: YellowRequest = {
  type: 'YELLOW',
  subject: {
    familyName: 'JOVANOVIC',
    forename: 'Ana',
    sex: 'female',
    dateOfBirth: '2016-06-01',
    nationalities: ['MC'],
    photoRef: 'photo-ana-2026.jpg',
    description: 'Brown hair, 1.30 m, red coat',
  },
  disappearance: {
    date: '2026-11-01',
    place: 'Monte-Carlo',
    country: 'MC',
    circumstances: 'Did not come home from school',
    policeReport: { reference: 'MC-PR-2026-991', date: '2026-11-01' },
  },
};
