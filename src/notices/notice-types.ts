/** Domain vocabulary of notices: the names are the API's, kept exactly as in the domain reference. */

export const NOTICE_TYPES = ['RED', 'YELLOW'] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

export const ROLES = ['ncb', 'gs', 'ccf', 'facilitator', 'observer', 'system'] as const;
export type Role = (typeof ROLES)[number];

/** Who sends an event. `country` is set for an `ncb` only. */
export interface Actor {
  role: Role;
  country?: string;
}

export const NOTICE_STATES = [
  'draft',
  'submitted',
  'under_review',
  'info_requested',
  'published',
  'suspended',
  'renewal_pending',
  'located',
  'refused',
  'withdrawn',
  'cancelled',
  'expired',
  'deleted',
] as const;
export type NoticeState = (typeof NOTICE_STATES)[number];

export const FINAL_NOTICE_STATES: readonly NoticeState[] = ['refused', 'withdrawn', 'cancelled', 'expired', 'deleted'];

/** Events a participant may send to a notice. */
export const NOTICE_USER_EVENTS = [
  'SUBMIT',
  'START_REVIEW',
  'REQUEST_INFO',
  'PROVIDE_INFO',
  'APPROVE',
  'REFUSE',
  'SUSPEND',
  'RESUME',
  'RENEW',
  'REPORT_LOCATED',
  'WITHDRAW',
  'CANCEL',
  'DELETE',
] as const;

/** Deadlines that only the `system` actor sends, when simulated time reaches them. */
export const NOTICE_DEADLINE_EVENTS = ['OPEN_RENEWAL', 'EXPIRE', 'LAPSE_SUSPENSION', 'INFO_TIMEOUT'] as const;

export const NOTICE_EVENT_TYPES = [...NOTICE_USER_EVENTS, ...NOTICE_DEADLINE_EVENTS] as const;
export type NoticeEventType = (typeof NOTICE_EVENT_TYPES)[number];

export const SEXES = ['male', 'female', 'unknown'] as const;

export const SERIOUS_OFFENCE_CATEGORIES = [
  'murder',
  'armed_robbery',
  'fraud',
  'drug_trafficking',
  'human_trafficking',
  'money_laundering',
  'terrorism',
  'burglary',
  'kidnapping',
  'rape',
  'child_sexual_abuse',
  'cybercrime',
  'arms_trafficking',
  'corruption',
  'assault',
  'theft',
] as const;

/** Categories excluded by RPD Art. 83(1)(a) and the GS list of 2022. */
export const EXCLUDED_OFFENCE_CATEGORIES = [
  'adultery',
  'prostitution',
  'defamation',
  'unpaid_debt',
  'drug_possession_personal_use',
  'family_dispute',
  'administrative_offence',
] as const;

export const OFFENCE_CATEGORIES = [...SERIOUS_OFFENCE_CATEGORIES, ...EXCLUDED_OFFENCE_CATEGORIES] as const;
export type OffenceCategory = (typeof OFFENCE_CATEGORIES)[number];

export interface Subject {
  familyName: string;
  forename: string;
  sex: (typeof SEXES)[number];
  dateOfBirth?: string;
  yearOfBirth?: number;
  nationalities: string[];
  description?: string;
  photoRef?: string;
  fingerprintsRef?: string;
  dnaRef?: string;
}

export interface Offence {
  category: OffenceCategory;
  summary: string;
  law: string;
  maxPenaltyYears: number;
  basis: 'prosecution' | 'sentence';
  sentenceRemainingMonths?: number;
  warrant: { reference: string; issuedOn: string; authority: string };
}

export interface Disappearance {
  date: string;
  place: string;
  country: string;
  circumstances: string;
  policeReport: { reference: string; date: string };
}

/** What the requesting NCB supplies; checks run on it. */
export interface RedRequest {
  type: 'RED';
  subject: Subject;
  offence: Offence;
  extraditionFrom?: string[];
  article3Concern?: boolean;
  publicExtractConsent?: boolean;
}

export interface YellowRequest {
  type: 'YELLOW';
  subject: Subject;
  disappearance: Disappearance;
  adultConsent?: boolean;
  publicExtractConsent?: boolean;
}

export type NoticeRequest = RedRequest | YellowRequest;

export const CHECK_IDS = [
  'RED-CRIME-CATEGORY',
  'RED-PENALTY-THRESHOLD',
  'RED-IDENTIFIERS',
  'RED-JUDICIAL-DATA',
  'RED-ARTICLE-3',
  'YELLOW-POLICE-REPORT',
  'YELLOW-IDENTIFIERS',
  'YELLOW-ADULT-CONSENT',
] as const;
export type CheckId = (typeof CHECK_IDS)[number];

export interface CheckResult {
  id: CheckId;
  passed: boolean;
  blocking: boolean;
  message: string;
}

export type NoticeDeadlineEventType = (typeof NOTICE_DEADLINE_EVENTS)[number];

/**
 * Corrections an NCB sends with PROVIDE_INFO: `subject`, `offence` and `disappearance` are merged
 * shallowly into the request's objects of the same name; the other fields replace the request's.
 */
export interface NoticeRequestChanges {
  subject?: Partial<Subject>;
  offence?: Partial<Offence>;
  disappearance?: Partial<Disappearance>;
  extraditionFrom?: string[];
  article3Concern?: boolean;
  adultConsent?: boolean;
  publicExtractConsent?: boolean;
}
