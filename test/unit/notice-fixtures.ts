/** Requests and actors shared by the unit tests; every request passes all its checks unless a test changes it. */
import type { Actor } from '../../src/exercises/exercise-types';
import type { RedRequest, YellowRequest } from '../../src/notices/notice-types';

export const OWNER: Actor = { role: 'ncb', country: 'RS' };
export const OTHER_NCB: Actor = { role: 'ncb', country: 'MC' };
export const GS: Actor = { role: 'gs' };
export const CCF: Actor = { role: 'ccf' };
export const SYSTEM: Actor = { role: 'system' };
export const FACILITATOR: Actor = { role: 'facilitator' };
export const OBSERVER: Actor = { role: 'observer' };

export const T0 = '2024-03-15T09:30:00.000Z';

export function redRequest(overrides: Partial<RedRequest> = {}): RedRequest {
  return {
    type: 'RED',
    subject: {
      familyName: 'Petrovic',
      forename: 'Marko',
      sex: 'male',
      dateOfBirth: '1980-05-02',
      nationalities: ['RS'],
      fingerprintsRef: 'FP-MC-2024-0173',
    },
    offence: {
      category: 'armed_robbery',
      summary: 'Armed robbery of a jewellery store in Belgrade',
      law: 'Criminal Code of Serbia, Art. 206',
      maxPenaltyYears: 12,
      basis: 'prosecution',
      warrant: { reference: 'KPP-123/2024', issuedOn: '2024-02-01', authority: 'Higher Court in Belgrade' },
    },
    extraditionFrom: ['MC', 'FR', 'IT'],
    article3Concern: false,
    ...overrides,
  };
}

export function yellowRequest(overrides: Partial<YellowRequest> = {}): YellowRequest {
  return {
    type: 'YELLOW',
    subject: {
      familyName: 'Jovanovic',
      forename: 'Ana',
      sex: 'female',
      dateOfBirth: '2015-07-20',
      nationalities: ['RS'],
      photoRef: 'PH-RS-2024-88',
      description: '1.30 m, brown hair, red coat',
    },
    disappearance: {
      date: '2024-03-01',
      place: 'Novi Sad',
      country: 'RS',
      circumstances: 'Did not come home from school',
      policeReport: { reference: 'PU-NS-2024-311', date: '2024-03-01' },
    },
    ...overrides,
  };
}

/**
 * The fields a participant's notice event carries beyond its type, valid for each type that has any
 * (UPDATE_DRAFT's request aside); `flag` adds the optional ones.
 */
export function noticeEventFields(type: string, flag = false): Record<string, unknown> {
  const fields: Record<string, Record<string, unknown>> = {
    REQUEST_INFO: { question: 'Which court issued the warrant?' },
    PROVIDE_INFO: { answer: 'The Higher Court', ...(flag ? { changes: { subject: { description: 'tall' } } } : {}) },
    APPROVE: { article3Cleared: true, ...(flag ? { particularImportance: true } : {}) },
    REFUSE: { reason: 'Article 3', grounds: ['ARTICLE_3'] },
    SUSPEND: { reason: 'Operational' },
    RENEW: { reason: 'Still wanted' },
    REPORT_LOCATED: { details: 'Found in Monaco' },
    WITHDRAW: { reason: 'Purpose achieved' },
    CANCEL: { reason: 'Unresponsive' },
    DELETE: { decisionRef: 'CCF/2025/17' },
  };
  return fields[type] ?? {};
}
