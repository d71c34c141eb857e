/**
 * The requests a simulation submits: one complete request of each type, and the same with the gaps a
 * model's request quality draws, each gap one that makes its compliance check fail (the machines run the
 * checks; the simulation never marks a check failed itself). Requests are shared and never changed.
 */
import type {
  NoticeRequest,
  NoticeRequestChanges,
  NoticeType,
  RedRequest,
  YellowRequest,
} from '../notices/notice-types';

export interface RequestFlaws {
  identifiers: boolean;
  judicial: boolean;
  crimeCategory: boolean;
  penalty: boolean;
  article3Concern: boolean;
  policeReport: boolean;
  adultConsent: boolean;
}

const RED: RedRequest = {
  type: 'RED',
  subject: {
    familyName: 'Simulated',
    forename: 'Subject',
    sex: 'male',
    dateOfBirth: '1980-01-01',
    nationalities: ['FR'],
    fingerprintsRef: 'FP-SIM',
  },
  offence: {
    category: 'armed_robbery',
    summary: 'Armed robbery',
    law: 'Criminal Code',
    maxPenaltyYears: 10,
    basis: 'prosecution',
    warrant: { reference: 'W-SIM', issuedOn: '2020-01-01', authority: 'Court' },
  },
  article3Concern: false,
};

const YELLOW: YellowRequest = {
  type: 'YELLOW',
  subject: {
    familyName: 'Simulated',
    forename: 'Person',
    sex: 'female',
    dateOfBirth: '2010-01-01',
    nationalities: ['FR'],
    photoRef: 'PH-SIM',
  },
  disappearance: {
    date: '2020-01-01',
    place: 'City',
    country: 'FR',
    circumstances: 'Did not come home',
    policeReport: { reference: 'PR-SIM', date: '2020-01-01' },
  },
};

function flawed(type: NoticeType, f: RequestFlaws): NoticeRequest {
  if (type === 'RED') {
    const { fingerprintsRef: _, ...unidentified } = RED.subject;
    return {
      ...RED,
      subject: f.identifiers ? unidentified : RED.subject,
      offence: {
        ...RED.offence,
        ...(f.crimeCategory && { category: 'adultery' }),
        ...(f.penalty && { maxPenaltyYears: 1 }),
        ...(f.judicial && { warrant: { issuedOn: '2020-01-01', authority: 'Court' } }),
      },
      article3Concern: f.article3Concern,
    };
  }
  const { photoRef: _, ...unidentified } = YELLOW.subject;
  return {
    ...YELLOW,
    subject: f.identifiers ? unidentified : YELLOW.subject,
    ...(f.adultConsent && {
      subject: { ...(f.identifiers ? unidentified : YELLOW.subject), dateOfBirth: '1980-01-01' },
    }),
    disappearance: f.policeReport
      ? { ...YELLOW.disappearance, policeReport: { date: '2020-01-01' } }
      : YELLOW.disappearance,
  };
}

const cache = new Map<number, NoticeRequest>();

/** The request of `type` with the given gaps (the same object for the same gaps). */
export function requestFor(type: NoticeType, flaws: RequestFlaws): NoticeRequest {
  // The gaps as bits of one number, the type above them: a key made without a string at every arrival.
  const key =
    (type === 'RED' ? 128 : 0) +
    (flaws.identifiers ? 1 : 0) +
    (flaws.judicial ? 2 : 0) +
    (flaws.crimeCategory ? 4 : 0) +
    (flaws.penalty ? 8 : 0) +
    (flaws.article3Concern ? 16 : 0) +
    (flaws.policeReport ? 32 : 0) +
    (flaws.adultConsent ? 64 : 0);
  let request = cache.get(key);
  if (!request) cache.set(key, (request = flawed(type, flaws)));
  return request;
}

const ANSWERS: Record<NoticeType, NoticeRequestChanges> = {
  RED: { subject: RED.subject, offence: RED.offence },
  YELLOW: { subject: YELLOW.subject, disappearance: YELLOW.disappearance, adultConsent: true },
};

/** An answer to a request for information that supplies every field a gap left out (one object per type). */
export function completeAnswer(type: NoticeType): NoticeRequestChanges {
  return ANSWERS[type];
}
