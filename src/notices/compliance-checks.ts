/** Compliance checks of a notice request (domain table "Compliance checks"): pure, one result per check id. */
import {
  EXCLUDED_OFFENCE_CATEGORIES,
  type CheckId,
  type CheckResult,
  type Disappearance,
  type NoticeRequest,
  type Offence,
  type RedRequest,
  type Subject,
  type YellowRequest,
} from './notice-types';

/** The GS's judgement given with APPROVE; absent while the NCB submits or answers. */
export interface ApprovalJudgement {
  article3Cleared: boolean;
  particularImportance?: boolean;
}

export const ADULT_AGE_YEARS = 18;

const EXCLUDED: readonly string[] = EXCLUDED_OFFENCE_CATEGORIES;

// Requests are checked while still incomplete (drafts, JSON from storage), so every field is read as optional.
type Loose<T> = { [K in keyof T]?: T[K] | null };

function filled(value: unknown): boolean {
  return typeof value === 'string' ? value.trim().length > 0 : value !== undefined && value !== null;
}

function result(id: CheckId, passed: boolean, message: string): CheckResult {
  // Every check of the domain table blocks APPROVE.
  return { id, passed, blocking: true, message };
}

function missingList(fields: Array<[string, boolean]>): string[] {
  return fields.filter(([, ok]) => !ok).map(([name]) => name);
}

function checkIdentifiers(id: CheckId, subject: Loose<Subject>): CheckResult {
  const missing = missingList([
    ['family name', filled(subject.familyName)],
    ['forename', filled(subject.forename)],
    ['sex', filled(subject.sex)],
    ['date or year of birth', filled(subject.dateOfBirth) || filled(subject.yearOfBirth)],
    [
      'one of photo, fingerprints, DNA profile or physical description',
      [subject.photoRef, subject.fingerprintsRef, subject.dnaRef, subject.description].some(filled),
    ],
  ]);
  return missing.length === 0
    ? result(id, true, 'The subject can be identified: names, sex, birth and an identifying element are given.')
    : result(id, false, `The subject cannot be identified: missing ${missing.join(', ')}.`);
}

function checkCrimeCategory(offence: Loose<Offence>): CheckResult {
  const category = offence.category;
  if (!filled(category)) {
    return result('RED-CRIME-CATEGORY', false, 'No offence category is given.');
  }
  return EXCLUDED.includes(String(category))
    ? result(
        'RED-CRIME-CATEGORY',
        false,
        `Offence category "${category}" is excluded from Red notices (RPD Art. 83(1)(a)): not a serious ordinary-law crime.`,
      )
    : result('RED-CRIME-CATEGORY', true, `Offence category "${category}" is a serious ordinary-law crime.`);
}

function checkPenaltyThreshold(offence: Loose<Offence>, approval?: ApprovalJudgement): CheckResult {
  const id = 'RED-PENALTY-THRESHOLD';
  let shortfall: string | null;
  if (offence.basis === 'prosecution') {
    const years = offence.maxPenaltyYears;
    shortfall =
      typeof years === 'number' && years >= 2
        ? null
        : `prosecution for an offence punishable by ${typeof years === 'number' ? `at most ${years} year(s)` : 'an unstated penalty'}, below the 2-year threshold`;
  } else if (offence.basis === 'sentence') {
    const months = offence.sentenceRemainingMonths;
    shortfall =
      typeof months === 'number' && months >= 6
        ? null
        : `${typeof months === 'number' ? `${months} month(s)` : 'an unstated time'} left to serve, below the 6-month threshold`;
  } else {
    shortfall = 'no basis (prosecution or sentence) is given';
  }
  if (shortfall === null) {
    return result(id, true, 'The penalty threshold of RPD Art. 83(1)(b) is met.');
  }
  if (approval?.particularImportance === true) {
    return result(id, true, `Threshold not met (${shortfall}), but the GS passed it as a case of particular importance.`);
  }
  return result(id, false, `Threshold of RPD Art. 83(1)(b) not met: ${shortfall}.`);
}

function checkJudicialData(offence: Loose<Offence>): CheckResult {
  const warrant: Loose<Offence['warrant']> = offence.warrant ?? {};
  const missing = missingList([
    ['warrant or judgment reference', filled(warrant.reference)],
    ['date of issue', filled(warrant.issuedOn)],
    ['issuing authority', filled(warrant.authority)],
    ['charges (offence summary)', filled(offence.summary)],
    ['applicable law', filled(offence.law)],
  ]);
  return missing.length === 0
    ? result('RED-JUDICIAL-DATA', true, 'Warrant or judgment, charges and applicable law are given.')
    : result('RED-JUDICIAL-DATA', false, `Judicial data incomplete: missing ${missing.join(', ')}.`);
}

function checkArticle3(request: Loose<RedRequest>, approval?: ApprovalJudgement): CheckResult {
  const id = 'RED-ARTICLE-3';
  if (approval === undefined) {
    return request.article3Concern === true
      ? result(id, false, 'The requester declared an Article 3 concern: blocking until the GS clears it.')
      : result(id, true, 'No Article 3 concern declared; the GS confirms on APPROVE.');
  }
  return approval.article3Cleared === true
    ? result(id, true, 'The GS found no predominantly political, military, religious or racial character (Constitution Art. 3).')
    : result(id, false, 'The GS has not cleared the request under Article 3 of the Constitution.');
}

function checkPoliceReport(disappearance: Loose<Disappearance>): CheckResult {
  const report: Loose<Disappearance['policeReport']> = disappearance.policeReport ?? {};
  const missing = missingList([
    ['police report reference', filled(report.reference)],
    ['police report date', filled(report.date)],
  ]);
  return missing.length === 0
    ? result('YELLOW-POLICE-REPORT', true, 'The police recorded the disappearance.')
    : result('YELLOW-POLICE-REPORT', false, `No police record of the disappearance: missing ${missing.join(', ')}.`);
}

/** Age in whole years at `onDate`; with only a year of birth, the birthday is taken as 1 January. */
function ageAt(subject: Loose<Subject>, onDate: string | null | undefined): number | null {
  if (!filled(onDate)) return null;
  const on = new Date(String(onDate));
  if (Number.isNaN(on.getTime())) return null;
  if (filled(subject.dateOfBirth)) {
    const born = new Date(String(subject.dateOfBirth));
    if (Number.isNaN(born.getTime())) return null;
    let age = on.getUTCFullYear() - born.getUTCFullYear();
    const beforeBirthday =
      on.getUTCMonth() < born.getUTCMonth() ||
      (on.getUTCMonth() === born.getUTCMonth() && on.getUTCDate() < born.getUTCDate());
    if (beforeBirthday) age -= 1;
    return age;
  }
  if (typeof subject.yearOfBirth === 'number') {
    return on.getUTCFullYear() - subject.yearOfBirth;
  }
  return null;
}

function checkAdultConsent(request: Loose<YellowRequest>): CheckResult {
  const id = 'YELLOW-ADULT-CONSENT';
  const age = ageAt(request.subject ?? {}, request.disappearance?.date);
  if (age !== null && age < ADULT_AGE_YEARS) {
    return result(id, true, `The subject was a child (${age}) at the disappearance: no consent declaration needed.`);
  }
  // An unknown age is treated as adult: the privacy bar then has to be declared absent.
  const who = age === null ? "The subject's age at the disappearance is unknown" : `The subject was an adult (${age})`;
  return request.adultConsent === true
    ? result(id, true, `${who}; the NCB declared that national privacy law does not bar the request.`)
    : result(id, false, `${who}: the NCB must declare that national privacy law does not bar the request (adultConsent).`);
}

/**
 * Runs the checks that apply to the request's type. Without `approval` (SUBMIT, PROVIDE_INFO) the
 * Article 3 check only reflects a declared concern; with it (APPROVE) it reflects the GS's judgement.
 */
export function runChecks(request: NoticeRequest, approval?: ApprovalJudgement): CheckResult[] {
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

export function failingBlockingChecks(checks: readonly CheckResult[]): CheckId[] {
  return checks.filter((check) => check.blocking && !check.passed).map((check) => check.id);
}
