/** Compliance checks of a notice request (domain table "Compliance checks"): pure, one result per check id. */
import {
  EXCLUDED_OFFENCE_CATEGORIES,
  EXCLUDED_UNLESS_LINKED,
  type CheckId,
  type CheckResult,
  type Disappearance,
  type NoticeRequest,
  type Offence,
  type RedRequest,
  type Subject,
  type YellowRequest,
} from './notice-types';
import { ageAt } from './subject-age';

/** The GS's judgement given with APPROVE; absent while the NCB submits or answers. */
export interface ApprovalJudgement {
  article3Cleared: boolean;
  particularImportance?: boolean | undefined;
}

export const ADULT_AGE_YEARS = 18;
const MIN_PROSECUTION_YEARS = 2;
const MIN_SENTENCE_MONTHS = 6;

const EXCLUDED: readonly string[] = EXCLUDED_OFFENCE_CATEGORIES;
const LINKABLE: readonly string[] = EXCLUDED_UNLESS_LINKED;

// Requests are checked as stored (drafts, JSON from older versions), so every field is read as optional.
type Loose<T> = { [K in keyof T]?: T[K] | null };

function filled(value: unknown): boolean {
  return typeof value === 'string' ? value.trim().length > 0 : value !== undefined && value !== null;
}

// Every check of the domain table blocks APPROVE.
const pass = (id: CheckId, message: string): CheckResult => ({
  id,
  passed: true,
  blocking: true,
  message,
  missing: [],
});
const fail = (id: CheckId, message: string, missing: string[]): CheckResult => ({
  id,
  passed: false,
  blocking: true,
  message,
  missing,
});

/** A requirement: what a reader calls it, the fields that can meet it, and whether one of them does. */
type Requirement = [label: string, fields: string[], met: boolean];

/** The requirements not met: their labels for the message, their fields for a form. */
function unmet(requirements: Requirement[]): { labels: string[]; fields: string[] } {
  const missing = requirements.filter(([, , met]) => !met);
  return { labels: missing.map(([label]) => label), fields: missing.flatMap(([, fields]) => fields) };
}

function checkIdentifiers(id: CheckId, subject: Loose<Subject>): CheckResult {
  const { labels, fields } = unmet([
    ['family name', ['subject.familyName'], filled(subject.familyName)],
    ['forename', ['subject.forename'], filled(subject.forename)],
    ['sex', ['subject.sex'], filled(subject.sex)],
    [
      'date or year of birth',
      ['subject.dateOfBirth', 'subject.yearOfBirth'],
      filled(subject.dateOfBirth) || filled(subject.yearOfBirth),
    ],
    [
      'one of photo, fingerprints, DNA profile or physical description',
      ['subject.photoRef', 'subject.fingerprintsRef', 'subject.dnaRef', 'subject.description'],
      [subject.photoRef, subject.fingerprintsRef, subject.dnaRef, subject.description].some(filled),
    ],
  ]);
  return labels.length === 0
    ? pass(id, 'The subject can be identified: names, sex, birth and an identifying element are given.')
    : fail(id, `The subject cannot be identified: missing ${labels.join(', ')}.`, fields);
}

function checkCrimeCategory(offence: Loose<Offence>): CheckResult {
  const id = 'RED-CRIME-CATEGORY';
  const category = offence.category;
  if (!filled(category)) return fail(id, 'No offence category is given.', ['offence.category']);
  if (!EXCLUDED.includes(String(category)))
    return pass(id, `Offence category "${category}" is a serious ordinary-law crime.`);
  if (LINKABLE.includes(String(category)) && offence.linkedToSeriousOrOrganisedCrime === true) {
    return pass(
      id,
      `Offence category "${category}" is excluded on its own, but passes: the request declares that it facilitates ` +
        'a serious crime or is connected to organised crime (RPD Art. 83(1)(a)(ii)).',
    );
  }
  const unless = LINKABLE.includes(String(category))
    ? ', unless it facilitates a serious crime or is connected to organised crime (linkedToSeriousOrOrganisedCrime)'
    : '';
  return fail(
    id,
    `Offence category "${category}" is excluded from Red notices (RPD Art. 83(1)(a)): ` +
      `not a serious ordinary-law crime${unless}.`,
    ['offence.category', ...(unless ? ['offence.linkedToSeriousOrOrganisedCrime'] : [])],
  );
}

/** Why the penalty threshold is not met, with the fields concerned; null when it is. */
function penaltyShortfall(offence: Loose<Offence>): { why: string; fields: string[] } | null {
  const months = (n: unknown) => (typeof n === 'number' ? n : null);
  if (offence.basis === 'prosecution') {
    const years = months(offence.maxPenaltyYears);
    if (years !== null && years >= MIN_PROSECUTION_YEARS) return null;
    const penalty = years === null ? 'an unstated penalty' : `at most ${years} year(s)`;
    return {
      why: `prosecution for an offence punishable by ${penalty}, below the ${MIN_PROSECUTION_YEARS}-year threshold`,
      fields: ['offence.maxPenaltyYears'],
    };
  }
  if (offence.basis === 'sentence') {
    // Either suffices: at least 6 months imposed, or at least 6 months left to serve.
    const imposed = months(offence.sentenceImposedMonths);
    const remaining = months(offence.sentenceRemainingMonths);
    if ((imposed ?? -1) >= MIN_SENTENCE_MONTHS || (remaining ?? -1) >= MIN_SENTENCE_MONTHS) return null;
    const told = [
      imposed === null ? null : `${imposed} month(s) imposed`,
      remaining === null ? null : `${remaining} month(s) left to serve`,
    ].filter(Boolean);
    const stated = told.length ? told.join(' and ') : 'no sentence length stated';
    return {
      why: `${stated}, below the ${MIN_SENTENCE_MONTHS}-month threshold`,
      fields: ['offence.sentenceImposedMonths', 'offence.sentenceRemainingMonths'],
    };
  }
  return { why: 'no basis (prosecution or sentence) is given', fields: ['offence.basis'] };
}

function checkPenaltyThreshold(offence: Loose<Offence>, approval?: ApprovalJudgement): CheckResult {
  const id = 'RED-PENALTY-THRESHOLD';
  const shortfall = penaltyShortfall(offence);
  if (shortfall === null) return pass(id, 'The penalty threshold of RPD Art. 83(1)(b) is met.');
  if (approval?.particularImportance === true) {
    return pass(id, `Threshold not met (${shortfall.why}), but the GS passed it as a case of particular importance.`);
  }
  return fail(id, `Threshold of RPD Art. 83(1)(b) not met: ${shortfall.why}.`, shortfall.fields);
}

function checkJudicialData(offence: Loose<Offence>): CheckResult {
  const warrant = offence.warrant ?? {};
  const { labels, fields } = unmet([
    ['warrant or judgment reference', ['offence.warrant.reference'], filled(warrant.reference)],
    ['date of issue', ['offence.warrant.issuedOn'], filled(warrant.issuedOn)],
    ['issuing authority', ['offence.warrant.authority'], filled(warrant.authority)],
    ['charges (offence summary)', ['offence.summary'], filled(offence.summary)],
    ['applicable law', ['offence.law'], filled(offence.law)],
  ]);
  return labels.length === 0
    ? pass('RED-JUDICIAL-DATA', 'Warrant or judgment, charges and applicable law are given.')
    : fail('RED-JUDICIAL-DATA', `Judicial data incomplete: missing ${labels.join(', ')}.`, fields);
}

function checkArticle3(request: Loose<RedRequest>, approval?: ApprovalJudgement): CheckResult {
  const id = 'RED-ARTICLE-3';
  if (approval === undefined) {
    return request.article3Concern === true
      ? fail(id, 'The requester declared an Article 3 concern: blocking until the GS clears it.', ['article3Concern'])
      : pass(id, 'No Article 3 concern declared; the GS confirms on APPROVE.');
  }
  return approval.article3Cleared === true
    ? pass(
        id,
        'The GS found no predominantly political, military, religious or racial character (Constitution Art. 3).',
      )
    : fail(id, 'The GS has not cleared the request under Article 3 of the Constitution.', []);
}

function checkPoliceReport(disappearance: Loose<Disappearance>): CheckResult {
  const report = disappearance.policeReport ?? {};
  const { labels, fields } = unmet([
    ['police report reference', ['disappearance.policeReport.reference'], filled(report.reference)],
    ['police report date', ['disappearance.policeReport.date'], filled(report.date)],
  ]);
  return labels.length === 0
    ? pass('YELLOW-POLICE-REPORT', 'The police recorded the disappearance.')
    : fail('YELLOW-POLICE-REPORT', `No police record of the disappearance: missing ${labels.join(', ')}.`, fields);
}

function checkAdultConsent(request: Loose<YellowRequest>): CheckResult {
  const id = 'YELLOW-ADULT-CONSENT';
  const date = request.disappearance?.date;
  const age = date ? ageAt(request.subject ?? {}, date) : null;
  if (age !== null && age < ADULT_AGE_YEARS) {
    return pass(id, `The subject was a child (${age}) at the disappearance: no consent declaration needed.`);
  }
  // An unknown age is treated as adult: the privacy bar then has to be declared absent.
  const who = age === null ? "The subject's age at the disappearance is unknown" : `The subject was an adult (${age})`;
  return request.adultConsent === true
    ? pass(id, `${who}; the NCB declared that national privacy law does not bar the request.`)
    : fail(id, `${who}: the NCB must declare that national privacy law does not bar the request (adultConsent).`, [
        'adultConsent',
      ]);
}

/**
 * Runs the checks that apply to the request's type. Without `approval` (SUBMIT, PROVIDE_INFO) the
 * Article 3 check only reflects a declared concern; with it (APPROVE) it reflects the GS's judgement.
 */
export function runChecks(request: NoticeRequest, approval?: ApprovalJudgement): CheckResult[] {
  // The checks read the request and the judgement only, and requests are never changed in place (a change
  // makes a new one): the results are kept per request object, which a simulation's notices share.
  const key = approval ? judgementKey(approval) : 0;
  let byJudgement = checked.get(request);
  if (!byJudgement) checked.set(request, (byJudgement = new Map()));
  let results = byJudgement.get(key);
  if (!results) byJudgement.set(key, (results = Object.freeze(checksOf(request, approval)) as CheckResult[]));
  return results;
}

const checked = new WeakMap<NoticeRequest, Map<number, CheckResult[]>>();

/** A judgement as a small number (1-6), a faster key than a string made at every approval. */
const judgementKey = (a: ApprovalJudgement) =>
  (a.article3Cleared ? 1 : 4) + (a.particularImportance === undefined ? 0 : a.particularImportance ? 1 : 2);

function checksOf(request: NoticeRequest, approval?: ApprovalJudgement): CheckResult[] {
  if (request.type === 'RED') {
    const red = request as Loose<RedRequest>;
    const offence: Loose<Offence> = red.offence ?? {};
    return [
      checkCrimeCategory(offence),
      checkPenaltyThreshold(offence, approval),
      checkIdentifiers('RED-IDENTIFIERS', red.subject ?? {}),
      checkJudicialData(offence),
      checkArticle3(red, approval),
    ];
  }
  const yellow = request as Loose<YellowRequest>;
  return [
    checkPoliceReport(yellow.disappearance ?? {}),
    checkIdentifiers('YELLOW-IDENTIFIERS', yellow.subject ?? {}),
    checkAdultConsent(yellow),
  ];
}

/** Whether a blocking check fails (what approval asks at every APPROVE, without a list made for it). */
export const anyBlockingCheckFails = (checks: readonly CheckResult[]): boolean =>
  checks.some((check) => check.blocking && !check.passed);

export function failingBlockingChecks(checks: readonly CheckResult[]): CheckId[] {
  return checks.filter((check) => check.blocking && !check.passed).map((check) => check.id);
}
