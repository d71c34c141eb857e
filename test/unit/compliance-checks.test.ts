import { failingBlockingChecks, runChecks } from '../../src/notices/compliance-checks';
import type { CheckId, CheckResult, NoticeRequest } from '../../src/notices/notice-types';
import { redRequest, yellowRequest } from './notice-fixtures';

function check(checks: CheckResult[], id: CheckId): CheckResult {
  const found = checks.find((c) => c.id === id);
  if (!found) throw new Error(`no ${id} in ${JSON.stringify(checks)}`);
  return found;
}

function resultOf(request: NoticeRequest, id: CheckId, approval?: Parameters<typeof runChecks>[1]): CheckResult {
  return check(runChecks(request, approval), id);
}

const base = redRequest();

describe('runChecks', () => {
  it('runs the five RED checks on a Red request and the three YELLOW checks on a Yellow one, all blocking', () => {
    const red = runChecks(redRequest());
    expect(red.map((c) => c.id)).toEqual([
      'RED-CRIME-CATEGORY',
      'RED-PENALTY-THRESHOLD',
      'RED-IDENTIFIERS',
      'RED-JUDICIAL-DATA',
      'RED-ARTICLE-3',
    ]);
    const yellow = runChecks(yellowRequest());
    expect(yellow.map((c) => c.id)).toEqual(['YELLOW-POLICE-REPORT', 'YELLOW-IDENTIFIERS', 'YELLOW-ADULT-CONSENT']);
    for (const c of [...red, ...yellow]) {
      expect(c).toMatchObject({ passed: true, blocking: true });
      expect(c.message.length).toBeGreaterThan(10);
    }
  });

  describe('RED-CRIME-CATEGORY', () => {
    it('passes a serious ordinary-law crime', () => {
      expect(resultOf(base, 'RED-CRIME-CATEGORY').passed).toBe(true);
    });
    it.each(['adultery', 'prostitution', 'defamation', 'unpaid_debt', 'drug_possession_personal_use', 'family_dispute', 'administrative_offence'] as const)(
      'fails the excluded category %s and names it',
      (category) => {
        const result = resultOf(redRequest({ offence: { ...base.offence, category } }), 'RED-CRIME-CATEGORY');
        expect(result.passed).toBe(false);
        expect(result.message).toContain(category);
      },
    );
  });

  describe('RED-PENALTY-THRESHOLD', () => {
    it('passes a prosecution punishable by 2 years', () => {
      expect(resultOf(redRequest({ offence: { ...base.offence, maxPenaltyYears: 2 } }), 'RED-PENALTY-THRESHOLD').passed).toBe(true);
    });
    it('fails a prosecution punishable by less than 2 years', () => {
      const result = resultOf(redRequest({ offence: { ...base.offence, maxPenaltyYears: 1 } }), 'RED-PENALTY-THRESHOLD');
      expect(result.passed).toBe(false);
      expect(result.message).toMatch(/2-year/);
    });
    it('passes a sentence with 6 months left to serve', () => {
      const offence = { ...base.offence, basis: 'sentence' as const, maxPenaltyYears: 1, sentenceRemainingMonths: 6 };
      expect(resultOf(redRequest({ offence }), 'RED-PENALTY-THRESHOLD').passed).toBe(true);
    });
    it('fails a sentence with less than 6 months, or an unstated time, left to serve', () => {
      const offence = { ...base.offence, basis: 'sentence' as const, sentenceRemainingMonths: 5 };
      expect(resultOf(redRequest({ offence }), 'RED-PENALTY-THRESHOLD')).toMatchObject({ passed: false, message: expect.stringMatching(/6-month/) });
      const unstated = { ...base.offence, basis: 'sentence' as const };
      expect(resultOf(redRequest({ offence: unstated }), 'RED-PENALTY-THRESHOLD').passed).toBe(false);
    });
    it('passes below the threshold when the GS finds particular importance, and says so', () => {
      const request = redRequest({ offence: { ...base.offence, maxPenaltyYears: 1 } });
      const result = resultOf(request, 'RED-PENALTY-THRESHOLD', { article3Cleared: true, particularImportance: true });
      expect(result.passed).toBe(true);
      expect(result.message).toMatch(/particular importance/);
    });
  });

  describe('RED-IDENTIFIERS', () => {
    it('passes with names, sex, year of birth and a description only', () => {
      const subject = { familyName: 'X', forename: 'Y', sex: 'unknown' as const, yearOfBirth: 1980, nationalities: [], description: 'tall' };
      expect(resultOf(redRequest({ subject }), 'RED-IDENTIFIERS').passed).toBe(true);
    });
    it('fails without a birth date or year, naming it', () => {
      const { dateOfBirth: _omitted, ...subject } = base.subject;
      const result = resultOf(redRequest({ subject }), 'RED-IDENTIFIERS');
      expect(result.passed).toBe(false);
      expect(result.message).toMatch(/date or year of birth/);
    });
    it('fails with a blank forename or no photo, fingerprints, DNA or description', () => {
      expect(resultOf(redRequest({ subject: { ...base.subject, forename: '  ' } }), 'RED-IDENTIFIERS').passed).toBe(false);
      const { fingerprintsRef: _omitted, ...bare } = base.subject;
      const result = resultOf(redRequest({ subject: { ...bare, dnaRef: '' } }), 'RED-IDENTIFIERS');
      expect(result).toMatchObject({ passed: false, message: expect.stringMatching(/photo, fingerprints, DNA/) });
    });
  });

  describe('RED-JUDICIAL-DATA', () => {
    it('passes with warrant, charges and law', () => {
      expect(resultOf(base, 'RED-JUDICIAL-DATA').passed).toBe(true);
    });
    it('fails and lists each missing element', () => {
      const offence = { ...base.offence, law: ' ', warrant: { ...base.offence.warrant, authority: '' } };
      const result = resultOf(redRequest({ offence }), 'RED-JUDICIAL-DATA');
      expect(result.passed).toBe(false);
      expect(result.message).toMatch(/issuing authority/);
      expect(result.message).toMatch(/applicable law/);
    });
    it('fails when the warrant is missing altogether', () => {
      const offence = { ...base.offence } as Partial<typeof base.offence>;
      delete offence.warrant;
      expect(resultOf({ ...base, offence } as NoticeRequest, 'RED-JUDICIAL-DATA').passed).toBe(false);
    });
  });

  describe('RED-ARTICLE-3', () => {
    it('passes at submission when no concern is declared, deferring to the GS', () => {
      expect(resultOf(base, 'RED-ARTICLE-3')).toMatchObject({ passed: true, message: expect.stringMatching(/GS confirms on APPROVE/) });
    });
    it('blocks at submission when the requester declares a concern', () => {
      expect(resultOf(redRequest({ article3Concern: true }), 'RED-ARTICLE-3')).toMatchObject({
        passed: false,
        message: expect.stringMatching(/blocking until the GS clears it/),
      });
    });
    it('follows the GS judgement on APPROVE, whatever was declared', () => {
      expect(resultOf(redRequest({ article3Concern: true }), 'RED-ARTICLE-3', { article3Cleared: true }).passed).toBe(true);
      expect(resultOf(base, 'RED-ARTICLE-3', { article3Cleared: false }).passed).toBe(false);
    });
  });

  const yellowBase = yellowRequest();

  describe('YELLOW-POLICE-REPORT', () => {
    it('passes with a report reference and date', () => {
      expect(resultOf(yellowBase, 'YELLOW-POLICE-REPORT').passed).toBe(true);
    });
    it('fails without a report date', () => {
      const disappearance = { ...yellowBase.disappearance, policeReport: { reference: 'PU-1', date: '' } };
      expect(resultOf(yellowRequest({ disappearance }), 'YELLOW-POLICE-REPORT')).toMatchObject({
        passed: false,
        message: expect.stringMatching(/police report date/),
      });
    });
  });

  describe('YELLOW-IDENTIFIERS', () => {
    it('passes with names, sex, birth date and a photo', () => {
      expect(resultOf(yellowBase, 'YELLOW-IDENTIFIERS').passed).toBe(true);
    });
    it('fails without a family name', () => {
      expect(resultOf(yellowRequest({ subject: { ...yellowBase.subject, familyName: '' } }), 'YELLOW-IDENTIFIERS')).toMatchObject({
        passed: false,
        message: expect.stringMatching(/family name/),
      });
    });
  });

  describe('YELLOW-ADULT-CONSENT', () => {
    const adult = { ...yellowBase.subject, dateOfBirth: '1990-01-01' };
    it('passes a child without any declaration', () => {
      expect(resultOf(yellowBase, 'YELLOW-ADULT-CONSENT')).toMatchObject({ passed: true, message: expect.stringMatching(/child/) });
    });
    it('fails an adult without the consent declaration', () => {
      expect(resultOf(yellowRequest({ subject: adult }), 'YELLOW-ADULT-CONSENT')).toMatchObject({
        passed: false,
        message: expect.stringMatching(/adultConsent/),
      });
    });
    it('passes an adult with the consent declaration', () => {
      expect(resultOf(yellowRequest({ subject: adult, adultConsent: true }), 'YELLOW-ADULT-CONSENT').passed).toBe(true);
    });
    it('counts age at the disappearance date, to the day', () => {
      const turns18OnTheDay = { ...yellowBase.subject, dateOfBirth: '2006-03-01' };
      const turns18NextDay = { ...yellowBase.subject, dateOfBirth: '2006-03-02' };
      expect(resultOf(yellowRequest({ subject: turns18OnTheDay }), 'YELLOW-ADULT-CONSENT').passed).toBe(false);
      expect(resultOf(yellowRequest({ subject: turns18NextDay }), 'YELLOW-ADULT-CONSENT').passed).toBe(true);
    });
    it('falls back to the year of birth when the date is unknown', () => {
      const { dateOfBirth: _omitted, ...noDate } = yellowBase.subject;
      expect(resultOf(yellowRequest({ subject: { ...noDate, yearOfBirth: 2010 } }), 'YELLOW-ADULT-CONSENT').passed).toBe(true);
      expect(resultOf(yellowRequest({ subject: { ...noDate, yearOfBirth: 2000 } }), 'YELLOW-ADULT-CONSENT').passed).toBe(false);
    });
  });
});

describe('failingBlockingChecks', () => {
  it('lists the ids of failed blocking checks only', () => {
    const checks: CheckResult[] = [
      { id: 'RED-CRIME-CATEGORY', passed: false, blocking: true, message: '', missing: ['offence.category'] },
      { id: 'RED-IDENTIFIERS', passed: true, blocking: true, message: '', missing: [] },
      { id: 'RED-ARTICLE-3', passed: false, blocking: false, message: '', missing: [] },
    ];
    expect(failingBlockingChecks(checks)).toEqual(['RED-CRIME-CATEGORY']);
    expect(failingBlockingChecks(runChecks(redRequest({ article3Concern: true })))).toEqual(['RED-ARTICLE-3']);
  });
});
