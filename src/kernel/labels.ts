import { z } from 'zod';

/**
 * Words for people: the one catalogue of what the dashboard, the debrief and error messages call each
 * state, event, field, check and role. The codes stay the API's vocabulary (domain reference); a label
 * is only how a police officer reads them. Plain data, so the kernel imports no feature: a unit test
 * (test/unit/labels.test.ts) proves every code of the machines and schemas has its label.
 */

/** An event in two voices: the button that sends it, and the history line that records it. */
export interface EventLabel {
  action: string;
  done: string;
}

const ROLES = {
  ncb: 'National Central Bureau',
  gs: 'General Secretariat',
  ccf: 'Commission for the Control of INTERPOL’s Files',
  facilitator: 'Facilitator',
  observer: 'Observer',
  system: 'The system (deadline)',
} as const;

const NOTICE_TYPES = { RED: 'Red notice (wanted person)', YELLOW: 'Yellow notice (missing person)' } as const;

const NOTICE_STATES = {
  draft: 'Draft',
  submitted: 'Submitted, awaiting review',
  under_review: 'Under review by the General Secretariat',
  info_requested: 'Information requested from the NCB',
  published: 'Published',
  suspended: 'Suspended',
  renewal_pending: 'Renewal due',
  located: 'Person located',
  refused: 'Refused',
  withdrawn: 'Withdrawn',
  cancelled: 'Cancelled',
  expired: 'Expired',
  deleted: 'Deleted',
} as const;

const CIRCULATION_STATES = {
  received: 'Received',
  acknowledged: 'Acknowledged',
  hit: 'Hit reported',
  provisional_arrest: 'Provisionally arrested',
  extradition_requested: 'Extradition requested',
  extradition_granted: 'Extradition granted',
  extradition_refused: 'Extradition refused',
  released: 'Released: no extradition request in time',
  surrendered: 'Surrendered',
  declined: 'Declined to act',
  located: 'Person located',
  closed: 'Closed',
} as const;

const EVENTS: Record<string, EventLabel> = {
  CREATE: { action: 'Save the request as a draft', done: 'Request saved as a draft' },
  // Where a simulated year's exercise takes up a notice (or record) as it stood on its first day.
  IMPORTED: { action: 'Take up the notice as it stands', done: 'Taken up as it stood on the first day' },
  UPDATE_DRAFT: { action: 'Save changes to the draft', done: 'Draft changed' },
  SUBMIT: { action: 'Submit to the General Secretariat', done: 'Submitted to the General Secretariat' },
  START_REVIEW: { action: 'Start the review', done: 'Review started' },
  REQUEST_INFO: { action: 'Ask the NCB for information', done: 'Information requested' },
  PROVIDE_INFO: { action: 'Answer the question', done: 'Information provided' },
  APPROVE: { action: 'Approve and publish', done: 'Approved and published' },
  REFUSE: { action: 'Refuse the request', done: 'Refused' },
  SUSPEND: { action: 'Suspend the notice', done: 'Suspended' },
  RESUME: { action: 'Resume the notice', done: 'Resumed' },
  RENEW: { action: 'Renew for five years', done: 'Renewed' },
  REPORT_LOCATED: { action: 'Report the person located', done: 'Person located' },
  WITHDRAW: { action: 'Withdraw the notice', done: 'Withdrawn' },
  CANCEL: { action: 'Cancel the notice', done: 'Cancelled' },
  DELETE: { action: 'Delete the notice (CCF decision)', done: 'Deleted on a CCF decision' },
  OPEN_RENEWAL: { action: 'Open the renewal window', done: 'Renewal window opened' },
  EXPIRE: { action: 'Expire the notice', done: 'Expired' },
  LAPSE_SUSPENSION: { action: 'End the suspension', done: 'Suspension lapsed: withdrawn' },
  INFO_TIMEOUT: { action: 'Refuse for no answer', done: 'Refused: no answer in time' },
  ACKNOWLEDGE: { action: 'Acknowledge receipt', done: 'Receipt acknowledged' },
  REPORT_HIT: { action: 'Report a hit', done: 'Hit reported' },
  PROVISIONAL_ARREST: { action: 'Report a provisional arrest', done: 'Provisionally arrested' },
  DECLINE_ACTION: { action: 'Decline to act', done: 'Declined to act' },
  SURRENDER: { action: 'Report the surrender', done: 'Surrendered' },
  EXTRADITION_REQUESTED: { action: 'Send the formal extradition request', done: 'Extradition requested' },
  GRANT_EXTRADITION: { action: 'Grant the extradition', done: 'Extradition granted' },
  REFUSE_EXTRADITION: { action: 'Refuse the extradition', done: 'Extradition refused' },
  RELEASE: { action: 'Release the person', done: 'Released: no extradition request in time' },
  CLOSE: { action: 'Close the record', done: 'Record closed' },
};

/** Fields by their dotted path in a request or an event, as the API's error details and checks name them. */
const FIELDS = {
  type: 'Notice type',
  basis: 'Basis in law for the refusal',
  convention: 'Extradition convention (sets the release deadline)',
  releaseAfterDays: 'Days allowed for the extradition request (in place of the convention’s)',
  subject: 'The person',
  'subject.familyName': 'Family name',
  'subject.forename': 'Forename',
  'subject.sex': 'Sex',
  'subject.dateOfBirth': 'Date of birth',
  'subject.yearOfBirth': 'Year of birth (when the date is unknown)',
  'subject.nationalities': 'Nationalities',
  'subject.description': 'Physical description',
  'subject.photoRef': 'Photo reference',
  'subject.fingerprintsRef': 'Fingerprints reference',
  'subject.dnaRef': 'DNA profile reference',
  offence: 'The offence',
  'offence.category': 'Offence category',
  'offence.summary': 'Charges (summary of the facts)',
  'offence.law': 'Applicable law',
  'offence.basis': 'Sought for',
  'offence.maxPenaltyYears': 'Maximum penalty (years)',
  'offence.sentenceImposedMonths': 'Sentence imposed (months)',
  'offence.sentenceRemainingMonths': 'Sentence left to serve (months)',
  'offence.linkedToSeriousOrOrganisedCrime': 'Facilitates a serious crime or is linked to organised crime',
  'offence.warrant': 'Arrest warrant or judgment',
  'offence.warrant.reference': 'Warrant or judgment reference',
  'offence.warrant.issuedOn': 'Date of issue',
  'offence.warrant.authority': 'Issuing authority',
  extraditionFrom: 'Extradition will be sought from',
  article3Concern: 'The requesting NCB has an Article 3 concern',
  disappearance: 'The disappearance',
  'disappearance.date': 'Date of disappearance',
  'disappearance.place': 'Place of disappearance',
  'disappearance.country': 'Country of disappearance',
  'disappearance.circumstances': 'Circumstances',
  'disappearance.policeReport': 'Police report',
  'disappearance.policeReport.reference': 'Police report reference',
  'disappearance.policeReport.date': 'Police report date',
  adultConsent: 'National privacy law does not bar the request (adult subject)',
  publicExtractConsent: 'Consent to a public extract on the website',
  recipients: 'Restricted to these countries (left empty: every member country)',
  article3Cleared: 'Article 3 cleared: no predominantly political, military, religious or racial character',
  particularImportance: 'Of particular importance to the international police community',
  question: 'Question to the NCB',
  answer: 'Answer',
  changes: 'Corrections to the request',
  request: 'The request',
  reason: 'Reason',
  grounds: 'Grounds of the refusal',
  details: 'Details',
  decisionRef: 'CCF decision reference',
} as const;

/** What each compliance check asks, in the rule's words (domain table "Compliance checks"). */
const CHECKS = {
  'RED-CRIME-CATEGORY': 'A serious ordinary-law crime, not an excluded category (RPD Art. 83(1)(a))',
  'RED-PENALTY-THRESHOLD':
    'Punishable by at least 2 years, or a sentence of at least 6 months imposed or left to serve (RPD Art. 83(1)(b))',
  'RED-IDENTIFIERS': 'Enough to identify the person: names, sex, birth, and a photo, prints, DNA or description',
  'RED-JUDICIAL-DATA': 'A valid arrest warrant or judgment, the charges and the applicable law (RPD Art. 83(2)(b))',
  'RED-ARTICLE-3': 'No predominantly political, military, religious or racial character (Constitution Art. 3)',
  'YELLOW-POLICE-REPORT': 'The police recorded the disappearance (RPD Art. 90)',
  'YELLOW-IDENTIFIERS': 'Enough to identify the person: names, sex, birth, and a description, photo, DNA or prints',
  'YELLOW-ADULT-CONSENT': 'For an adult, national privacy law does not bar the request (RPD Art. 90)',
} as const;

/** A deadline ahead, by the event the system sends when it falls due: "Renewal window opens 12 March 2031". */
const DEADLINES = {
  OPEN_RENEWAL: 'Renewal window opens',
  EXPIRE: 'Expires',
  LAPSE_SUSPENSION: 'Suspension lapses (the notice is withdrawn)',
  INFO_TIMEOUT: 'Answer due (refused if none by then)',
  RELEASE: 'Extradition request due (the person is released if none by then)',
  PROMPT_CANCEL: 'Withdrawal due (the General Secretariat is asked to cancel if not by then)',
} as const;

const REFUSAL_GROUNDS = {
  ARTICLE_2: 'Article 2: not in the spirit of human rights',
  ARTICLE_3: 'Article 3: political, military, religious or racial character',
  CRIME_CATEGORY: 'Excluded offence category',
  PENALTY_THRESHOLD: 'Penalty below the threshold',
  INSUFFICIENT_DATA: 'Insufficient data to identify or to act',
  OTHER: 'Other',
} as const;

const SEXES = { male: 'Male', female: 'Female', unknown: 'Unknown' } as const;

const OFFENCE_BASES = { prosecution: 'Prosecution', sentence: 'To serve a sentence' } as const;

const OFFENCE_CATEGORIES = {
  murder: 'Murder',
  armed_robbery: 'Armed robbery',
  fraud: 'Fraud',
  drug_trafficking: 'Drug trafficking',
  human_trafficking: 'Human trafficking',
  money_laundering: 'Money laundering',
  terrorism: 'Terrorism',
  burglary: 'Burglary',
  kidnapping: 'Kidnapping',
  rape: 'Rape',
  child_sexual_abuse: 'Child sexual abuse',
  cybercrime: 'Cybercrime',
  arms_trafficking: 'Arms trafficking',
  corruption: 'Corruption',
  assault: 'Assault',
  theft: 'Theft',
  adultery: 'Adultery (excluded)',
  prostitution: 'Prostitution (excluded)',
  defamation: 'Defamation (excluded)',
  unpaid_debt: 'Unpaid debt (excluded unless linked to serious crime)',
  drug_possession_personal_use: 'Drug possession for personal use (excluded)',
  family_dispute: 'Family dispute (excluded)',
  administrative_offence: 'Administrative offence (excluded unless linked to serious crime)',
} as const;

const RECORD_KINDS = {
  nominal: 'Person (identity)',
  fingerprints: 'Fingerprints',
  dna: 'DNA profile',
  sltd: 'Stolen or lost travel document',
  smv: 'Stolen motor vehicle',
  notice: 'A notice’s subject',
} as const;

const EXTRADITION_BASES = {
  nationality: 'The person is a national of the requested country',
  political_offence: 'A political offence',
  death_penalty: 'The death penalty may be imposed',
  fair_trial: 'No guarantee of a fair trial',
  statute_of_limitations: 'Time-barred (statute of limitations)',
  insufficient_request: 'The request is insufficient',
  other: 'Another ground',
} as const;

const PRIORITIES = { urgent: 'Urgent', routine: 'Routine' } as const;

const CONVENTIONS = {
  european: 'European Convention on Extradition (40 days)',
  inter_american: 'Inter-American Convention on Extradition (60 days)',
  ecowas: 'ECOWAS Convention on Extradition (20 days)',
  arab: 'Arab convention (60 days)',
} as const;

const LOSS_KINDS = {
  stolen_blank: 'Stolen blank',
  stolen_from_bearer: 'Stolen from its bearer',
  lost: 'Lost',
  revoked: 'Revoked',
} as const;

export const LABELS = {
  roles: ROLES,
  recordKinds: RECORD_KINDS,
  lossKinds: LOSS_KINDS,
  extraditionBases: EXTRADITION_BASES,
  conventions: CONVENTIONS,
  priorities: PRIORITIES,
  noticeTypes: NOTICE_TYPES,
  noticeStates: NOTICE_STATES,
  circulationStates: CIRCULATION_STATES,
  events: EVENTS,
  fields: FIELDS,
  checks: CHECKS,
  deadlines: DEADLINES,
  refusalGrounds: REFUSAL_GROUNDS,
  sexes: SEXES,
  offenceBases: OFFENCE_BASES,
  offenceCategories: OFFENCE_CATEGORIES,
} as const;

export type LabelKind = Exclude<keyof typeof LABELS, 'events'>;

/** The label of a code, or the code itself when the catalogue has none (never throws on data). */
export function labelOf(kind: LabelKind, code: string): string {
  return (LABELS[kind] as Record<string, string>)[code] ?? code;
}

/** An event's label in the voice wanted: `action` for a button, `done` for a history line. */
export function eventLabel(code: string, voice: keyof EventLabel = 'done'): string {
  return EVENTS[code]?.[voice] ?? code;
}

/**
 * A field's label from its dotted path; array indexes (`nationalities.0`) read as the array's field, and
 * PROVIDE_INFO's corrections (`changes.subject.sex`) and UPDATE_DRAFT's request (`request.subject.sex`) as
 * the request's field they carry.
 */
export function fieldLabel(path: string | readonly (string | number)[]): string {
  const parts = (typeof path === 'string' ? path.split('.') : path.map(String)).filter((p) => !/^\d+$/.test(p));
  const nested = (parts[0] === 'changes' || parts[0] === 'request') && parts.length > 1;
  const corrected = nested ? parts.slice(1) : parts;
  return labelOf('fields', corrected.join('.'));
}

const words = z.record(z.string(), z.string());

/** The catalogue as `GET /api/labels` serves it to the dashboard. */
export const LabelsResponse = z
  .object({
    ...Object.fromEntries(Object.keys(LABELS).map((kind) => [kind, words])),
    events: z.record(z.string(), z.object({ action: z.string(), done: z.string() })),
  })
  .meta({ id: 'Labels' });
