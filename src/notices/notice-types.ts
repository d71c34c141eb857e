/** Domain vocabulary of notices: the names are the API's, kept exactly as in the domain reference. */

export const NOTICE_TYPES = ['RED', 'YELLOW'] as const;
export type NoticeType = (typeof NOTICE_TYPES)[number];

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

/**
 * Published and in force: circulation records move, and the public extract shows, only in these.
 * (Suspended and located notices are still valid, but countries do not act on them.)
 */
export const CIRCULATING_STATES: readonly NoticeState[] = ['published', 'renewal_pending'];

export const isFinalNoticeState = (state: string): boolean =>
  (FINAL_NOTICE_STATES as readonly string[]).includes(state);
export const isCirculating = (state: string): boolean => (CIRCULATING_STATES as readonly string[]).includes(state);

/** Events a participant may send to a notice. */
export const NOTICE_USER_EVENTS = [
  // Not in the domain reference (which has no name for editing a draft): the owner NCB replaces its request.
  'UPDATE_DRAFT',
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
export type NoticeDeadlineEventType = (typeof NOTICE_DEADLINE_EVENTS)[number];

export const NOTICE_EVENT_TYPES = [...NOTICE_USER_EVENTS, ...NOTICE_DEADLINE_EVENTS] as const;
export type NoticeEventType = (typeof NOTICE_EVENT_TYPES)[number];

/** Grounds of a refusal (INTERPOL reports refusals by Art. 2 and Art. 3 of its Constitution). */
export const REFUSAL_GROUNDS = [
  'ARTICLE_2',
  'ARTICLE_3',
  'CRIME_CATEGORY',
  'PENALTY_THRESHOLD',
  'INSUFFICIENT_DATA',
  'OTHER',
] as const;
export type RefusalGround = (typeof REFUSAL_GROUNDS)[number];

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

/** Categories excluded by RPD Art. 83(1)(a)(ii) and the GS list of 2022. */
export const EXCLUDED_OFFENCE_CATEGORIES = [
  'adultery',
  'prostitution',
  'defamation',
  'unpaid_debt',
  'drug_possession_personal_use',
  'family_dispute',
  'administrative_offence',
] as const;

/**
 * Excluded categories that still pass when the offence facilitates a serious crime or is connected
 * to organised crime (RPD Art. 83(1)(a)(ii)): private disputes and administrative breaches.
 */
export const EXCLUDED_UNLESS_LINKED: readonly OffenceCategory[] = ['unpaid_debt', 'administrative_offence'];

export const OFFENCE_CATEGORIES = [...SERIOUS_OFFENCE_CATEGORIES, ...EXCLUDED_OFFENCE_CATEGORIES] as const;
export type OffenceCategory = (typeof OFFENCE_CATEGORIES)[number];

/**
 * What a request carries. Every field may be missing: the schema checks types and sizes, the
 * compliance checks completeness, so an incomplete request is saved as a draft and its checks fail.
 */
export interface Subject {
  familyName?: string;
  forename?: string;
  sex?: (typeof SEXES)[number];
  dateOfBirth?: string;
  yearOfBirth?: number;
  nationalities?: string[];
  description?: string;
  photoRef?: string;
  fingerprintsRef?: string;
  dnaRef?: string;
}

export interface Warrant {
  reference?: string;
  issuedOn?: string;
  authority?: string;
}

export interface Offence {
  category?: OffenceCategory;
  summary?: string;
  law?: string;
  /** For a prosecution: the maximum penalty the law provides. */
  maxPenaltyYears?: number;
  basis?: 'prosecution' | 'sentence';
  /** For a sentence: what was imposed, and what is left to serve. */
  sentenceImposedMonths?: number;
  sentenceRemainingMonths?: number;
  /** An excluded private or administrative matter facilitating serious crime or linked to organised crime. */
  linkedToSeriousOrOrganisedCrime?: boolean;
  warrant?: Warrant;
}

export interface Disappearance {
  date?: string;
  place?: string;
  country?: string;
  circumstances?: string;
  policeReport?: { reference?: string; date?: string };
}

/** What the requesting NCB supplies; checks run on it. */
export interface RedRequest {
  type: 'RED';
  subject: Subject;
  offence: Offence;
  extraditionFrom?: string[];
  article3Concern?: boolean;
  publicExtractConsent?: boolean;
  /** Restricted circulation: only these member countries receive it (left out: every member but the requester). */
  recipients?: string[];
}

export interface YellowRequest {
  type: 'YELLOW';
  subject: Subject;
  disappearance: Disappearance;
  adultConsent?: boolean;
  publicExtractConsent?: boolean;
  recipients?: string[];
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
  /** The request fields found missing or wrong (`offence.warrant.reference`), so a form can mark them. */
  missing: string[];
}

/**
 * Corrections an NCB sends with PROVIDE_INFO: `subject`, `offence` and `disappearance` are merged
 * shallowly into the request's objects of the same name; the other fields replace the request's.
 */
export interface NoticeRequestChanges {
  subject?: Subject;
  offence?: Offence;
  disappearance?: Disappearance;
  extraditionFrom?: string[];
  article3Concern?: boolean;
  adultConsent?: boolean;
  publicExtractConsent?: boolean;
}
